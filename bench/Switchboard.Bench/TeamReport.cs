using System.Globalization;
using System.Text;
using static Switchboard.Bench.LoadRun;

namespace Switchboard.Bench;

/// <summary>What <see cref="TeamRun"/> measured.</summary>
internal sealed record TeamFigures(
    List<Sample> Direct, List<Sample> Local, List<Sample> TeamNoLimit, List<Sample> Team,
    double DirectRps, double LocalRps, double TeamNoLimitRps, double TeamRps,
    double OneBehindHaproxyRps, double ThreeBehindHaproxyRps,
    int TeamRequestsSent, long LedgerRows, long LedgerDropped, IReadOnlyList<(string Replica, long Rows)> LedgerByReplica,
    double RedisPingMs,
    double LocalIdleMb, double LocalLoadedMb, double TeamIdleMb, double TeamLoadedMb, bool Pinned);

/// <summary>The team benchmark's table and its PASS/MISS lines (issue 17's targets, not tuned to the results).</summary>
internal static class TeamReport
{
    private const double AddedP50AllowanceMs = 0.3;
    private const double ThroughputShareOfLocal = 0.8;

    public static string Build(TeamFigures f)
    {
        static string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        static double P(List<Sample> samples, double p, bool firstByte = false) =>
            Percentile(samples.Select(s => firstByte ? s.FirstByteMs : s.TotalMs), p);
        var (d50, l50, n50, t50) = (P(f.Direct, 0.5), P(f.Local, 0.5), P(f.TeamNoLimit, 0.5), P(f.Team, 0.5));
        var (d99, l99, n99, t99) = (P(f.Direct, 0.99), P(f.Local, 0.99), P(f.TeamNoLimit, 0.99), P(f.Team, 0.99));
        var (df, lf, nf, tf) = (P(f.Direct, 0.5, true), P(f.Local, 0.5, true), P(f.TeamNoLimit, 0.5, true), P(f.Team, 0.5, true));
        var (localAdded, teamAdded) = (l50 - d50, t50 - d50);
        var share = f.TeamRps / f.LocalRps;

        var checks = new[]
        {
            ($"team added p50 (c=1) <= local added p50 + {AddedP50AllowanceMs} ms", teamAdded <= localAdded + AddedP50AllowanceMs,
                $"{F(teamAdded)} ms vs {F(localAdded)} ms (+{F(teamAdded - localAdded)} ms)"),
            ($"team c={Concurrency} >= {ThroughputShareOfLocal:P0} of local c={Concurrency}", share >= ThroughputShareOfLocal, $"{share:P1}"),
            ("team ledger rows = team requests sent", f.LedgerRows == f.TeamRequestsSent, $"{f.LedgerRows} rows, {f.TeamRequestsSent} sent"),
        };
        var text = new StringBuilder()
            .AppendLine($"Switchboard team-mode benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {Environment.ProcessorCount} core(s), " +
                        (f.Pinned ? "Switchboard pinned apart from the client, upstream, PostgreSQL, Redis and HAProxy" : "everything sharing every core"))
            .AppendLine($"request: streaming /v1/messages, reply of 25 SSE events; {LatencySamples} interleaved samples per path at c=1 after {Warmup} warm-up; " +
                        $"{ThroughputWindow.TotalSeconds:0} s x 2 alternating rounds per path at c={Concurrency}")
            .AppendLine("team: a member's key (cached), a spend cap and a rate limit (one Redis round trip to admit, one to charge after), a ledger row in PostgreSQL;")
            .AppendLine("team, no limit: the same replica, a member without limits (no Redis call), for what the limits cost")
            .AppendLine()
            .AppendLine("| measure | direct | local mode | team, no limit | team | team minus local |")
            .AppendLine("|---|---|---|---|---|---|")
            .AppendLine($"| whole stream p50 (c=1) | {F(d50)} ms | {F(l50)} ms | {F(n50)} ms | {F(t50)} ms | {F(t50 - l50)} ms |")
            .AppendLine($"| whole stream p99 (c=1) | {F(d99)} ms | {F(l99)} ms | {F(n99)} ms | {F(t99)} ms | {F(t99 - l99)} ms |")
            .AppendLine($"| first byte p50 (c=1) | {F(df)} ms | {F(lf)} ms | {F(nf)} ms | {F(tf)} ms | {F(tf - lf)} ms |")
            .AppendLine($"| added p50 vs direct (c=1) | | {F(localAdded)} ms | {F(n50 - d50)} ms | {F(teamAdded)} ms | {F(teamAdded - localAdded)} ms |")
            .AppendLine($"| requests/s (c={Concurrency}) | {f.DirectRps:0} | {f.LocalRps:0} | {f.TeamNoLimitRps:0} | {f.TeamRps:0} | team {share:P1} of local |")
            .AppendLine($"| RSS idle / after load | | {f.LocalIdleMb:0} / {f.LocalLoadedMb:0} MB | | {f.TeamIdleMb:0} / {f.TeamLoadedMb:0} MB | |")
            .AppendLine()
            .AppendLine($"Redis PING p50 from the client's core: {F(f.RedisPingMs)} ms (the floor of the limits' round trip)")
            .AppendLine()
            .AppendLine("| team mode behind HAProxy | requests/s (c=16) |")
            .AppendLine("|---|---|")
            .AppendLine($"| one replica, direct (above) | {f.TeamRps:0} |")
            .AppendLine($"| one replica through HAProxy | {f.OneBehindHaproxyRps:0} |")
            .AppendLine($"| three replicas through HAProxy | {f.ThreeBehindHaproxyRps:0} |")
            .AppendLine()
            .AppendLine($"team ledger: {f.LedgerRows} rows for {f.TeamRequestsSent} team requests sent; {f.LedgerDropped} dropped by the replicas' full queues " +
                        "(switchboard_ledger_dropped_total); by replica: " +
                        string.Join(", ", f.LedgerByReplica.Select(r => $"{r.Replica} {r.Rows}")))
            .AppendLine();
        foreach (var (name, pass, value) in checks) text.AppendLine($"{(pass ? "PASS" : "MISS")}  {name}: {value}");
        return text.ToString();
    }
}
