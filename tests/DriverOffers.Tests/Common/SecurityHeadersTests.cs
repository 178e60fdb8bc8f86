using System.Net;
using DriverOffers.Server.Common;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Common;

public sealed class SecurityHeadersTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(", ", content)
        : "";

    [Theory]
    [InlineData("/")]
    [InlineData("/driver/link/AAAABAAAAGtrDVo1S-MhlsnrzjExiwIgAnX1kg")]
    public async Task Web_app_pages_allow_only_their_own_scripts_are_never_framed_and_send_no_referrer(string path)
    {
        using var anonymous = server.Client();
        var response = await anonymous.GetAsync(path);
        Assert.Equal(SecurityHeaders.AppPolicy, Header(response, "Content-Security-Policy"));
        Assert.Contains("script-src 'self';", SecurityHeaders.AppPolicy);
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.AppPolicy);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        // The offer link's code is in the driver page's address: no page sends it on as a Referer.
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    [Fact]
    public async Task API_answers_render_nothing_are_never_framed_and_are_never_cached_errors_included()
    {
        using var anonymous = server.Client();
        var login = await anonymous.Post("/api/auth/login", new { username = "carl.banks", password = "demo-password" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var refused = await anonymous.GetAsync("/api/me");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var missing = await anonymous.GetAsync("/api/no-such-route");
        foreach (var response in new[] { login, refused, missing })
        {
            Assert.Equal("default-src 'none'; frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
            Assert.Equal("no-store", Header(response, "Cache-Control"));
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        }
    }
}
