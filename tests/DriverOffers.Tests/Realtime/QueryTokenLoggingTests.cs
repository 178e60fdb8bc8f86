using System.Collections.Concurrent;
using System.Text.Json;
using DriverOffers.Server.Common;
using DriverOffers.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DriverOffers.Tests.Realtime;

/// <summary>The server with every category logging at Information, where ASP.NET Core writes request URLs.</summary>
public sealed class VerboseLoggingServerFixture : ServerFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Debug",
        ["Logging:LogLevel:Microsoft"] = "Debug",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
        // Off by default (AppSetup.Defaults); its request lines are the ones that carry URLs.
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Debug",
    };
}

public sealed class QueryTokenLoggingTests(VerboseLoggingServerFixture server) : IClassFixture<VerboseLoggingServerFixture>
{
    [Fact]
    public async Task The_access_token_query_value_never_appears_in_any_log()
    {
        var capture = new CapturingProvider();
        server.Services.GetRequiredService<ILoggerFactory>().AddProvider(capture);
        var token = await server.DispatcherToken("carl.banks");
        var signature = token[(token.LastIndexOf('.') + 1)..];

        foreach (var transport in new[] { HttpTransportType.WebSockets, HttpTransportType.ServerSentEvents, HttpTransportType.LongPolling })
        {
            await using var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(server.BaseAddress, $"/hubs/offers?access_token={token}"), transport)
                .AddJsonProtocol(o => ApiJson.Configure(o.PayloadSerializerOptions))
                .Build();
            await hub.StartAsync();
            await hub.InvokeAsync<JsonElement>("heartbeat", new { });
        }
        using var anonymous = server.Client();
        await anonymous.PostAsync($"/hubs/offers/negotiate?negotiateVersion=1&access_token={token}x", null);

        Assert.Contains(capture.Lines, l => l.Contains("/hubs/offers", StringComparison.Ordinal));
        Assert.Contains(capture.Lines, l => l.Contains("access_token=[redacted]", StringComparison.Ordinal));
        Assert.DoesNotContain(capture.Lines, l => l.Contains(signature, StringComparison.Ordinal));
    }

    private sealed class CapturingProvider : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose() { }

        private sealed class Logger(CapturingProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> kvs ? string.Join(" ", kvs.Select(kv => $"{kv.Key}={kv.Value}")) : "";
                owner.Lines.Enqueue($"{formatter(state, exception)} | {values} | {exception}");
            }
        }
    }
}
