namespace DriverOffers.Server.Hosting;

/// <summary>
/// Checks the addresses to listen on (<c>--urls</c>, <c>urls</c>, <c>ASPNETCORE_URLS</c>) before anything starts. Kestrel
/// reads a host it cannot parse as "every interface": <c>http://127.0.0.1:abc</c> listened on <c>http://[::]:80</c>.
/// </summary>
public static class ListenUrls
{
    public const string Setting = "urls";

    /// <summary>Throws <see cref="StartupException"/> naming the first address that is not <c>http(s)://HOST[:PORT]</c>.</summary>
    public static void Validate(string? urls)
    {
        foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Problem(url) is { } problem)
            {
                throw new StartupException(
                    $"--urls (or ASPNETCORE_URLS): '{url}' {problem}. Use http://HOST:PORT or https://HOST:PORT, e.g. " +
                    "http://0.0.0.0:8080 or http://127.0.0.1:5000; several are separated by ';'.");
            }
        }
    }

    private static string? Problem(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0 || !(url[..scheme].Equals("http", StringComparison.OrdinalIgnoreCase) || url[..scheme].Equals("https", StringComparison.OrdinalIgnoreCase)))
        {
            return "does not start with http:// or https://";
        }
        var rest = url[(scheme + 3)..];
        if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("pipe:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        // Kestrel's wildcards are not host names to Uri.
        var host = rest.Split('/')[0];
        var port = host.StartsWith('[') ? host[(host.IndexOf(']', StringComparison.Ordinal) + 1)..] : host[(host.IndexOf(':', StringComparison.Ordinal) is var c and >= 0 ? c : host.Length)..];
        if (port.Length > 0 && !(port.StartsWith(':') && int.TryParse(port[1..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number <= 65535))
        {
            return $"has no valid port ('{port.TrimStart(':')}'; a port is a number from 0 to 65535)";
        }
        var name = host[..(host.Length - port.Length)];
        if (name is "*" or "+")
        {
            name = "0.0.0.0";
        }
        if (name.Length == 0 || !Uri.TryCreate($"http://{name}{port}", UriKind.Absolute, out _))
        {
            return "has no valid host";
        }
        if (rest.Length > host.Length && rest[host.Length..] != "/")
        {
            return "has a path; the server listens at the root of an address";
        }
        return null;
    }
}
