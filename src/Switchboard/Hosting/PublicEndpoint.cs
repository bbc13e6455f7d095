namespace Switchboard.Hosting;

/// <summary>
/// Endpoint metadata: the endpoint answers without the client key (<c>/</c>, <c>/health</c>, the dashboard's pages).
/// Every endpoint without it needs the key; a new endpoint is protected unless it says otherwise.
/// </summary>
internal sealed class PublicEndpoint
{
    public static readonly PublicEndpoint Instance = new();

    private PublicEndpoint()
    {
    }
}
