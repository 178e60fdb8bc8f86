using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DriverOffers.Tests.Infrastructure;

/// <summary>
/// A Twilio-compatible Messages endpoint on a loopback port. Answers 503 to the first
/// <see cref="FailuresPerRecipient"/> messages for each number, and always 400 to numbers ending in 0000.
/// </summary>
public sealed class FakeSmsProvider : IAsyncDisposable
{
    public const string AccountSid = "AC_test_account";
    public const string AuthToken = "test-token";

    private WebApplication? _app;
    private readonly ConcurrentDictionary<string, int> _tries = new();

    public int FailuresPerRecipient { get; init; }
    public string BaseUrl { get; private set; } = "";
    public ConcurrentQueue<(string To, string From, string Body)> Delivered { get; } = new();

    public int TriesFor(string to) => _tries.GetValueOrDefault(to);

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", async (string sid, HttpRequest request) =>
        {
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));
            if (sid != AccountSid || request.Headers.Authorization != expected)
            {
                return Results.Json(new { code = 20003, message = "Authenticate" }, statusCode: 401);
            }
            var form = await request.ReadFormAsync();
            var to = form["To"].ToString();
            var tries = _tries.AddOrUpdate(to, 1, (_, n) => n + 1);
            if (to.EndsWith("0000", StringComparison.Ordinal))
            {
                return Results.Json(new { code = 21211, message = $"The 'To' number {to} is not a valid phone number." }, statusCode: 400);
            }
            if (tries <= FailuresPerRecipient)
            {
                return Results.Json(new { message = "Service unavailable" }, statusCode: 503);
            }
            Delivered.Enqueue((to, form["From"].ToString(), form["Body"].ToString()));
            return Results.Json(new { sid = $"SM{tries}", status = "queued" }, statusCode: 201);
        });
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
