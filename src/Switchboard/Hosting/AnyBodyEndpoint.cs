namespace Switchboard.Hosting;

/// <summary>
/// Marks an endpoint whose body is not JSON by its protocol (OTLP's protobuf telemetry). <see cref="RequestGuard"/>
/// lets any body through to it; such an endpoint still needs a bearer or key, which no web page can send across sites
/// without a preflight this server never answers.
/// </summary>
internal sealed class AnyBodyEndpoint
{
    public static readonly AnyBodyEndpoint Instance = new();

    private AnyBodyEndpoint()
    {
    }
}
