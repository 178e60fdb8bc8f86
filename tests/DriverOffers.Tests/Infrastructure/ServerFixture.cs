using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DriverOffers.Server;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DriverOffers.Tests.Infrastructure;

/// <summary>
/// The real server on a free loopback port with its own SQLite file and demo data; tests talk to it over
/// HTTP and real SignalR connections. One per test class (IClassFixture), stopped and deleted afterwards.
/// </summary>
public class ServerFixture : IAsyncLifetime
{
    public const string JwtSecret = "test-secret-test-secret-test-secret-0123456789";
    public const string Issuer = "driver-offers";
    public const string Audience = "driver-offers";

    private WebApplication? _app;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "driver-offers-tests", Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => _app!.Services;

    /// <summary>Extra configuration for a test class (e.g. legacy tokens).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Extra services for a test class, registered before the server's own (e.g. a fake clock).</summary>
    protected virtual void ConfigureServices(IServiceCollection services) { }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "sqlite",
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(_dir, "test.db")}",
            ["Auth:JwtSecret"] = JwtSecret,
            ["Auth:Issuer"] = Issuer,
            ["Auth:Audience"] = Audience,
            ["Auth:LoginAttemptsPerMinutePerIp"] = "1000",
            ["Auth:LoginAttemptsPerMinutePerUser"] = "1000",
        };
        foreach (var (k, v) in Settings)
        {
            settings[k] = v;
        }
        _app = AppSetup.Build([$"--contentRoot={_dir}", "--environment=Testing"], b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Configuration.AddInMemoryCollection(settings);
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            ConfigureServices(b.Services);
        });
        await _app.Services.PrepareDatabaseAsync();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>Signs a demo user in and returns a client carrying their token.</summary>
    public async Task<HttpClient> LoginAs(string username)
    {
        using var anon = Client();
        var response = await anon.PostAsJsonAsync("/api/auth/login", new { username, password = DemoData.Password });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return Client(body.GetProperty("access_token").GetString());
    }

    public static string TokenOf(HttpClient client) => client.DefaultRequestHeaders.Authorization!.Parameter!;

    /// <summary>A started SignalR connection to the hub, with the same JSON settings as the web app.</summary>
    public async Task<HubConnection> Hub(string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(BaseAddress, "/hubs/offers"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .AddJsonProtocol(o => ApiJson.Configure(o.PayloadSerializerOptions))
            .Build();
        await connection.StartAsync();
        return connection;
    }

    public T Scoped<T>(Func<AppDb, T> read)
    {
        using var scope = Services.CreateScope();
        return read(scope.ServiceProvider.GetRequiredService<AppDb>());
    }
}
