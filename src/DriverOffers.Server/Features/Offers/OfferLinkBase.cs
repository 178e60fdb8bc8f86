using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using DriverOffers.Server.Features.Auth;

namespace DriverOffers.Server.Features.Offers;

/// <summary>
/// Where the links texted and mailed to drivers point. <c>Auth:PublicBaseUrl</c> when set. Otherwise the request's own
/// origin only where its <c>Host</c> can be trusted: in Development, or when <c>AllowedHosts</c> names the hosts (requests
/// for any other host are refused with 400 before they get here). Anywhere else a client could send a forged
/// <c>Host</c> and have the server text drivers a link to another site, so the links use the server's own address
/// (its first bound URL, a wildcard replaced by the machine's name) and the start-up log warns
/// (docs/decisions/110-sign-out-and-the-limits-strangers-hit.md).
/// </summary>
public sealed class OfferLinkBase(IOptions<AuthOptions> auth, IConfiguration config, IHostEnvironment env, IServer server)
{
    /// <summary>Whether links come from the request's Host (trusted) rather than configuration or the bound address.</summary>
    private bool TrustsHost => env.IsDevelopment() || HostsAreNamed(config);

    public string For(HttpRequest request)
    {
        if (!string.IsNullOrWhiteSpace(auth.Value.PublicBaseUrl))
        {
            return auth.Value.PublicBaseUrl.Trim().TrimEnd('/');
        }
        return TrustsHost ? $"{request.Scheme}://{request.Host}" : BoundUrl() ?? $"{request.Scheme}://localhost";
    }

    /// <summary>What to tell the operator at start, or null when links have a trusted base.</summary>
    public string? Warning => !string.IsNullOrWhiteSpace(auth.Value.PublicBaseUrl) || TrustsHost ? null
        : $"Auth:PublicBaseUrl is not set: the links sent to drivers point at this server's own address ({BoundUrl() ?? "unknown"}), " +
          "not at the Host a request names (a client can forge it). Set Auth:PublicBaseUrl to the address drivers reach, " +
          "e.g. https://offers.example.com, or AllowedHosts to the host names this server answers for.";

    private static bool HostsAreNamed(IConfiguration config) =>
        config["AllowedHosts"] is { } hosts && hosts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            is { Length: > 0 } named && !named.Contains("*");

    private string? BoundUrl()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        var chosen = addresses?.OrderByDescending(a => a.StartsWith("https:", StringComparison.OrdinalIgnoreCase)).FirstOrDefault();
        if (chosen is null || !Uri.TryCreate(chosen.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal),
                UriKind.Absolute, out var uri))
        {
            return null;
        }
        var wildcard = uri.Host is "0.0.0.0" or "[::]" or "::";
        return new UriBuilder(uri) { Host = wildcard ? System.Net.Dns.GetHostName() : uri.Host, Path = "" }.Uri.GetLeftPart(UriPartial.Authority);
    }
}
