using System.Net;
using System.Text.Json;
using DriverOffers.Server.Common;
using DriverOffers.Tests.Infrastructure;
using DriverOffers.Tests.Realtime;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace DriverOffers.Tests.Hosting;

/// <summary>
/// Everything the real process prints at the shipped log levels (its appsettings.json) while people sign in every way
/// there is: none of the secrets it handles ever shows up: the JWT secret, the SMS account's token, bearer tokens
/// (also in <c>?access_token=</c> on the hub), offer-link codes, phone sign-in codes.
/// </summary>
public sealed class LogSecretsTests : IAsyncLifetime
{
    private const string JwtSecret = "log-secrets-jwt-secret-log-secrets-0123456789";

    private readonly string _dir = Directory.CreateTempSubdirectory("driver-offers-logs-").FullName;
    // One failure per number first, so the failed attempt's log line is in the output too.
    private readonly FakeSmsProvider _sms = new() { FailuresPerRecipient = 1 };

    public Task InitializeAsync() => _sms.StartAsync();

    public async Task DisposeAsync()
    {
        await _sms.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task No_secret_handled_while_signing_in_by_password_link_phone_and_hub_is_written_to_the_log()
    {
        // The deployment's own settings file, as in the published folder.
        File.Copy(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), Path.Combine(_dir, "appsettings.json"));
        var env = new Dictionary<string, string>
        {
            ["Auth__JwtSecret"] = JwtSecret,
            ["Messaging__Sms__BaseUrl"] = _sms.BaseUrl,
            ["Messaging__Sms__AccountSid"] = FakeSmsProvider.AccountSid,
            ["Messaging__Sms__AuthToken"] = FakeSmsProvider.AuthToken,
            ["Messaging__Sms__From"] = "+13125550100",
            ["Messaging__RetryBaseSeconds"] = "1",
            ["Messaging__PollSeconds"] = "1",
        };
        await using var server = ServerProcess.StartListening(env, _dir, "--contentRoot", _dir);
        await server.WaitReadyAsync();
        using var anonymous = new HttpClient { BaseAddress = server.Url };

        var login = await (await anonymous.Post("/api/auth/login", new { username = "carl.banks", password = "demo-password" })).Body();
        var dispatcherToken = login.GetProperty("access_token").GetString()!;
        using var carl = new HttpClient { BaseAddress = server.Url };
        carl.DefaultRequestHeaders.Authorization = new("Bearer", dispatcherToken);
        var offer = await carl.CreateOfferWithLinks(107);
        var link = offer.GetProperty("drivers")[0].GetProperty("link").GetString()!;
        var linkCode = link[(link.LastIndexOf('/') + 1)..];
        // The page a phone opens (the web app's; not built into this content root, so 404 here): the code is in its path.
        using var page = await anonymous.GetAsync(new Uri($"/driver/link/{linkCode}", UriKind.Relative));
        var exchanged = await anonymous.Post("/api/driver/auth/exchange", new { code = linkCode });
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
        var linkDriverToken = (await exchanged.Body()).GetProperty("access_token").GetString()!;

        Assert.Equal(HttpStatusCode.OK, (await anonymous.Post("/api/driver/auth/request-code", new { phone = "(779) 513-2475" })).StatusCode);
        // The offer link went to the same number; which text is delivered first is up to the background sender.
        static bool IsCode((string To, string From, string Body) m) => m.To == "+17795132475" && m.Body.Contains("sign-in code", StringComparison.Ordinal);
        await DriverData.Eventually(() => _sms.Delivered.Any(IsCode), "the code texted", 30_000);
        var phoneCode = System.Text.RegularExpressions.Regex.Match(_sms.Delivered.First(IsCode).Body, "[0-9]{6}").Value;
        var verified = await anonymous.Post("/api/driver/auth/verify-code", new { phone = "7795132475", code = phoneCode });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var phoneDriverToken = (await verified.Body()).GetProperty("access_token").GetString()!;

        // Browsers put the token in the URL; every transport, and a refused one.
        foreach (var (token, transport) in new[] { (dispatcherToken, HttpTransportType.WebSockets), (linkDriverToken, HttpTransportType.LongPolling),
            (phoneDriverToken, HttpTransportType.ServerSentEvents) })
        {
            await using var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(server.Url!, $"/hubs/offers?access_token={token}"), transport)
                .AddJsonProtocol(o => ApiJson.Configure(o.PayloadSerializerOptions))
                .Build();
            await hub.StartAsync();
            await hub.InvokeAsync<JsonElement>("heartbeat", new { });
        }
        await anonymous.PostAsync(new Uri($"/hubs/offers/negotiate?negotiateVersion=1&access_token={dispatcherToken}x", UriKind.Relative), null);
        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var output = server.Output;
        Assert.Contains("Driver Offers ", output, StringComparison.Ordinal);
        Assert.Contains("attempt 1 failed", output, StringComparison.Ordinal);
        foreach (var (secret, what) in new[]
        {
            (JwtSecret, "the JWT secret"), (FakeSmsProvider.AuthToken, "the SMS auth token"), (linkCode, "the offer-link code"),
            (phoneCode, "the phone code"), (Signature(dispatcherToken), "a dispatcher token"), (Signature(linkDriverToken), "a driver token"),
            (Signature(phoneDriverToken), "a driver token from phone sign-in"),
        })
        {
            Assert.False(output.Contains(secret, StringComparison.Ordinal), $"{what} is in the log:\n{output}");
        }
    }

    private static string Signature(string jwt) => jwt[(jwt.LastIndexOf('.') + 1)..];
}
