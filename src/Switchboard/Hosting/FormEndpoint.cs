namespace Switchboard.Hosting;

/// <summary>
/// Marks an endpoint that takes a form body (<c>application/x-www-form-urlencoded</c>): OAuth's endpoints, whose RFCs
/// say so, and the sign-in page's own forms. <see cref="RequestGuard"/> lets such a body through where it refuses
/// non-JSON bodies elsewhere; it still refuses any request a browser marks as coming from another site.
/// </summary>
internal sealed class FormEndpoint
{
    public static readonly FormEndpoint Instance = new();

    private FormEndpoint()
    {
    }
}
