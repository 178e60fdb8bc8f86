using Microsoft.Extensions.Primitives;

namespace DriverOffers.Server.Common;

/// <summary>
/// Response headers that tell browsers what this server's pages and answers may do (docs/decisions/099-security-pass.md).
/// The web app: scripts, styles, images, fonts, workers and connections from this origin only (no inline script, so an
/// injected one would not run even if a bug let text through as markup), never framed (clickjacking), no Referer (the
/// offer link's code is in the driver page's address). The API: nothing to render, never framed, never cached (it
/// answers tokens and personal data). Hub requests get none: nothing renders them, and headers set on an upgraded request
/// would be kept as long as its connection.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    /// <summary>The web app's policy. <c>'self'</c> in connect-src covers the hub's same-origin WebSocket; data: images are
    /// the inline favicon.</summary>
    public const string AppPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";

    private static readonly Func<object, Task> Apply = state =>
    {
        var http = (HttpContext)state;
        var headers = http.Response.Headers;
        var path = http.Request.Path;
        var api = path.StartsWithSegments("/api") || path.StartsWithSegments("/health") || path.StartsWithSegments("/openapi");
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        // The interactive API reference (Development only) loads its viewer from a CDN; it sets no policy of its own.
        if (!path.StartsWithSegments("/api/docs"))
        {
            headers.ContentSecurityPolicy = api ? ApiPolicy : AppPolicy;
        }
        if (api)
        {
            headers.CacheControl = new StringValues("no-store");
        }
        return Task.CompletedTask;
    };

    public Task InvokeAsync(HttpContext http)
    {
        // At the last moment, so an error page written after the response was reset still carries them.
        http.Response.OnStarting(Apply, http);
        return next(http);
    }
}
