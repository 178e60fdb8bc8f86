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
/// The real server on a free loopback port with its own fresh database and demo data; tests talk to it over
/// HTTP and real SignalR connections. One per test class (IClassFixture), stopped and deleted afterwards.
/// The database is SQLite, MariaDB or PostgreSQL as <c>DRIVER_OFFERS_TEST_DB</c> says (see <see cref="TestDatabase"/>).
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
    public TestDatabase Database { get; private set; } = null!;

    /// <summary>Extra configuration for a test class (e.g. legacy tokens).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>The database this class runs on; the run's choice unless a class is about one provider.</summary>
    protected virtual TestDbKind DatabaseKind => TestDatabase.Selected;

    /// <summary>Runs against the fresh, empty database before the server first starts (e.g. to build a legacy schema).</summary>
    protected virtual Task BeforeServerStartsAsync(TestDatabase database) => Task.CompletedTask;

    /// <summary>Extra services for a test class, registered before the server's own (e.g. a fake clock).</summary>
    protected virtual void ConfigureServices(IServiceCollection services) { }

    public virtual async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        Database = await TestDatabase.CreateAsync(DatabaseKind, _dir);
        await BeforeServerStartsAsync(Database);
        await StartServerAsync();
    }

    /// <summary>Builds, prepares (migrations, demo data) and starts the server on a free port.</summary>
    public async Task StartServerAsync()
    {
        _app = BuildServer();
        await _app.Services.PrepareDatabaseAsync();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    /// <summary>Builds (does not prepare or start) a server on this class's database; <paramref name="overrides"/> win.</summary>
    public WebApplication BuildServer(IDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = Database.Provider,
            ["Database:ConnectionString"] = Database.ConnectionString,
            ["Auth:JwtSecret"] = JwtSecret,
            ["Auth:Issuer"] = Issuer,
            ["Auth:Audience"] = Audience,
            // Test classes share one server and its demo people: one class's sends must not use up the next one's
            // allowance. The limits themselves are tested with the product's defaults (SendLimitsTests).
            ["Limits:MessagesPerSecondPerUser"] = "100000",
            ["Limits:MessageBurstPerUser"] = "100000",
            ["Realtime:ConnectionsPerUser"] = "1000",
            // Refusals wait out a pace so their time tells nothing; tested with the default in SignInPaceTests.
            ["Auth:SignInPaceMilliseconds"] = "0",
        };
        foreach (var (k, v) in Settings.Concat(overrides ?? new Dictionary<string, string?>()))
        {
            settings[k] = v;
        }
        return AppSetup.Build([$"--contentRoot={_dir}", "--environment=Testing"], b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Configuration.AddInMemoryCollection(settings);
            b.Logging.SetMinimumLevel(LogLevel.Warning);
            ConfigureServices(b.Services);
        });
    }

    public async Task StopServerAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public virtual async Task DisposeAsync()
    {
        await StopServerAsync();
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>
    /// Past HttpClient's 100 s default: fifty answers racing on one offer queue on its row lock, and at load 40 on the
    /// shared machine the last in the queue once waited over 100 s (BookingTests, MariaDB, when each round also lost the
    /// version check and ran again: decision 108). A request that truly hangs still fails.
    /// </summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMinutes(5);

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = RequestTimeout };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>Signs a user in (a demo user unless a password is given) and returns a client carrying their token.</summary>
    public async Task<HttpClient> LoginAs(string username, string password = DemoData.Password)
    {
        using var anon = Client();
        var response = await anon.PostAsJsonAsync("/api/auth/login", new { username, password });
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

    /// <summary>
    /// Starts a second server on this class's database with this class's settings, as the second process of a
    /// scaled-out site (in this test process, sharing nothing in memory). The caller disposes it; the database stays.
    /// </summary>
    public async Task<ServerFixture> StartSibling()
    {
        var sibling = new Sibling(this);
        await sibling.InitializeAsync();
        return sibling;
    }

    private sealed class Sibling(ServerFixture first) : ServerFixture
    {
        protected override IDictionary<string, string?> Settings => first.Settings;

        public override async Task InitializeAsync()
        {
            Directory.CreateDirectory(_dir);
            Database = first.Database;
            await StartServerAsync();
        }

        public override async Task DisposeAsync()
        {
            await StopServerAsync();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
    }

    public T Scoped<T>(Func<AppDb, T> read)
    {
        using var scope = Services.CreateScope();
        return read(scope.ServiceProvider.GetRequiredService<AppDb>());
    }

    public async Task<T> ScopedAsync<T>(Func<AppDb, Task<T>> read)
    {
        using var scope = Services.CreateScope();
        return await read(scope.ServiceProvider.GetRequiredService<AppDb>());
    }
}
