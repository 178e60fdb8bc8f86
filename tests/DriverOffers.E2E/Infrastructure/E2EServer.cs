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
using Microsoft.Playwright;

namespace DriverOffers.E2E.Infrastructure;

/// <summary>
/// The real server (fresh SQLite file, demo data) on a free loopback port, serving the built web app from the
/// server project's wwwroot, plus headless Chromium from Debian's package. One per test class. A class that needs
/// other settings uses a subclass that passes them (<see cref="E2EServer(IReadOnlyDictionary{string, string?})"/>).
/// </summary>
public class E2EServer : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public E2EServer()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>The usual server with <paramref name="settings"/> on top of the E2E defaults.</summary>
    protected E2EServer(IReadOnlyDictionary<string, string?> settings) => _settings = settings;

    public const string Chromium = "/usr/bin/chromium";

    private WebApplication? _app;
    private IPlaywright? _playwright;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "driver-offers-e2e", Guid.NewGuid().ToString("N"));

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The running server's services, for a test that waits on server state no page or API shows.</summary>
    public IServiceProvider Services => _app!.Services;
    public IBrowser Browser { get; private set; } = null!;

    public static string RepoRoot { get; } = FindRepoRoot();

    public async Task InitializeAsync()
    {
        var webRoot = Path.Combine(RepoRoot, "src", "DriverOffers.Server", "wwwroot");
        if (!File.Exists(Path.Combine(webRoot, "index.html")))
        {
            throw new InvalidOperationException($"The web app is not built ({webRoot}/index.html missing). Build the server without -p:SkipWebBuild=true.");
        }
        Directory.CreateDirectory(_dir);
        _app = AppSetup.Build([$"--contentRoot={_dir}", $"--webroot={webRoot}", "--environment=Testing"], b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "sqlite",
                ["Database:ConnectionString"] = $"Data Source={Path.Combine(_dir, "e2e.db")}",
                ["Auth:JwtSecret"] = "e2e-secret-e2e-secret-e2e-secret-0123456789",
                ["Auth:LoginAttemptsPerMinutePerIp"] = "1000",
                ["Auth:LoginAttemptsPerMinutePerUser"] = "1000",
                // Most tests of a class are the same few people, some with several pages at once, and the server
                // drops a closed page's connection only when it notices the socket went: past the product's 20 per
                // person the newest page's connection would be refused and its screen would never settle.
                ["Realtime:ConnectionsPerUser"] = "1000",
            });
            b.Configuration.AddInMemoryCollection(_settings);
            b.Logging.SetMinimumLevel(LogLevel.Warning);
        });
        await _app.Services.PrepareDatabaseAsync();
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>A fresh browser context (its own storage, like a second browser), laptop-sized, clipboard allowed.</summary>
    public async Task<IPage> NewPage(int width = 1366, int height = 820)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new() { Width = width, Height = height },
            Permissions = ["clipboard-read", "clipboard-write"],
            TimezoneId = "America/Chicago",
            Locale = "en-US",
        });
        lock (OpenContexts)
        {
            OpenContexts.Add(context);
        }
        context.SetDefaultTimeout(15_000);
        // The same patience for assertions (5 s by default): on a busy CI machine a page can take that long.
        Assertions.SetDefaultExpectTimeout(15_000);
        return await context.NewPageAsync();
    }

    // Every server's: tests run one at a time (AssemblyInfo.cs), so what is open belongs to the test now ending.
    private static readonly List<IBrowserContext> OpenContexts = [];

    /// <summary>Closes every page opened since the last call, with its context (see <see cref="BrowserTest"/>).</summary>
    public static async Task ClosePages()
    {
        IBrowserContext[] open;
        lock (OpenContexts)
        {
            open = [.. OpenContexts];
            OpenContexts.Clear();
        }
        foreach (var context in open)
        {
            await context.CloseAsync();
        }
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

    public async Task<string> DispatcherToken(string username)
    {
        using var anon = Client();
        var response = await anon.PostAsJsonAsync("/api/auth/login", new { username, password = DemoData.Password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    /// <summary>What the driver's offer link does: exchange its single-use code for a driver token.</summary>
    public async Task<string> DriverTokenFromLink(string link)
    {
        // Links look like {base}/driver/link/{code}.
        var code = Uri.UnescapeDataString(new Uri(link).Segments[^1]);
        using var anon = Client();
        var response = await anon.PostAsJsonAsync("/api/driver/auth/exchange", new { code });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

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
    /// Saves a screenshot of a main screen. By default into artifacts/screenshots (gitignored), so a test run leaves
    /// the git tree clean. The README's pictures live in docs/screenshots: to refresh them, run the E2E tests with
    /// <c>DRIVER_OFFERS_SCREENSHOTS=docs/screenshots</c> (a path relative to the repository root, or absolute).
    /// </summary>
    public static async Task Screenshot(IPage page, string name)
    {
        var dir = ScreenshotDirectory(Environment.GetEnvironmentVariable(ScreenshotsVariable), RepoRoot);
        Directory.CreateDirectory(dir);
        await page.ScreenshotAsync(new() { Path = Path.Combine(dir, name + ".png") });
    }

    public const string ScreenshotsVariable = "DRIVER_OFFERS_SCREENSHOTS";

    public static string ScreenshotDirectory(string? setting, string repoRoot) =>
        string.IsNullOrWhiteSpace(setting)
            ? Path.Combine(repoRoot, "artifacts", "screenshots")
            : Path.GetFullPath(setting.Trim(), repoRoot);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DriverOffers.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("DriverOffers.slnx not found above " + AppContext.BaseDirectory);
    }
}
