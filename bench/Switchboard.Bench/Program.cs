using Switchboard.Bench;

// Two roles, one binary, so a single script can run the whole comparison:
//   upstream --port N                                  a scripted Anthropic-format model on loopback
//   load --direct URL --through URL --pid PID [--out FILE]   measure both paths and Switchboard's memory
//   tokens --repo DIR                                  what counting tokens for routing costs on a 400 KB request
//   soak --binary PATH [--rounds N] [--out FILE]       the issue-14 load, repeated, with the daemon's RSS throughout
//   team --binary PATH --upstream URL --work DIR [--cpus LIST] [--out FILE]
//                                                      local against team mode, and three replicas behind HAProxy
return args.FirstOrDefault() switch
{
    "upstream" => await ScriptedUpstream.RunAsync(int.Parse(Arg(args, "--port"))),
    "tokens" => TokenCountRun.Run(Arg(args, "--repo")),
    "soak" => await SoakRun.RunAsync(Arg(args, "--binary"), args.Contains("--rounds") ? int.Parse(Arg(args, "--rounds")) : 2,
        args.Contains("--out") ? Arg(args, "--out") : null),
    "load" => await LoadRun.RunAsync(Arg(args, "--direct"), Arg(args, "--through"), int.Parse(Arg(args, "--pid")),
        args.Contains("--out") ? Arg(args, "--out") : null),
    "team" => await TeamRun.RunAsync(Arg(args, "--binary"), Arg(args, "--upstream"), Arg(args, "--work"),
        args.Contains("--cpus") ? Arg(args, "--cpus") : null, args.Contains("--out") ? Arg(args, "--out") : null),
    _ => Usage(),
};

static string Arg(string[] args, string name) =>
    args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? throw new ArgumentException($"missing {name}");

static int Usage()
{
    Console.Error.WriteLine("usage: bench upstream --port N | bench load --direct URL --through URL --pid PID [--out FILE] | bench tokens --repo DIR | bench soak --binary PATH [--rounds N] [--out FILE] | bench team --binary PATH --upstream URL --work DIR [--cpus LIST] [--out FILE]");
    return 2;
}
