using System.Data.Common;
using System.Reflection;
using DriverOffers.Server.Data;
using DriverOffers.Server.Realtime;

namespace DriverOffers.Server.Hosting;

/// <summary>
/// The process: build, check the addresses, prepare the database, listen, say so in one line, run until SIGTERM.
/// A start that fails for a reason the operator can fix ends with one log line naming the setting and exit code 1,
/// instead of an unhandled exception (a stack trace wall and exit code 134).
/// </summary>
public static partial class RunServer
{
    public const string MigrateOnly = "--migrate-only";
    public const int Failed = 1;

    public static async Task<int> RunAsync(string[] args)
    {
        var migrateOnly = args.Contains(MigrateOnly);
        WebApplication? app = null;
        var started = false;
        try
        {
            app = AppSetup.Build([.. args.Where(a => a != MigrateOnly)]);
            ListenUrls.Validate(app.Configuration[ListenUrls.Setting]);
            await PrepareDatabase(app, migrateOnly);
            if (migrateOnly)
            {
                return 0;
            }
            await app.StartAsync();
            started = true;
            LogStarted(app);
            await app.WaitForShutdownAsync();
            return 0;
        }
        catch (Exception e)
        {
            if (app is not null && !started)
            {
                // Hosted services that started before the failure (the server binds last) are stopped properly, so they
                // don't add their own errors ("BackgroundService failed") when the host is disposed.
                await StopQuietly(app);
            }
            Report(app, e, started);
            return Failed;
        }
        finally
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }

    private static async Task PrepareDatabase(WebApplication app, bool migrateOnly)
    {
        try
        {
            await app.Services.PrepareDatabaseAsync(migrateOnly);
        }
        catch (Exception wrapper) when (wrapper is not StartupException && DatabaseError(wrapper) is { } e)
        {
            var target = app.Services.GetRequiredService<DatabaseTarget>();
            var hint = target.Provider == DatabaseProvider.Sqlite
                ? "the file's folder must exist and the file and folder be writable by this user"
                : "check that the database server is running and reachable, and the user, password and database name";
            var cause = e.GetBaseException() is var root && root != e && !e.Message.Contains(root.Message, StringComparison.Ordinal) ? $": {root.Message}" : "";
            throw new StartupException($"Database:ConnectionString: the {target} could not be used: {e.Message.TrimEnd('.')}{cause} ({hint}).", e);
        }
    }

    /// <summary>The provider's error, also when EF wrapped it ("likely due to a transient failure").</summary>
    private static DbException? DatabaseError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is DbException db)
            {
                return db;
            }
        }
        return null;
    }

    private static async Task StopQuietly(WebApplication app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await app.StopAsync(timeout.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Stopping what never fully started; the start's failure is the one worth reporting.
        }
    }

    private static void LogStarted(WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        var database = app.Services.GetRequiredService<DatabaseTarget>();
        var scaleOut = ScaleOutOptions.From(app.Configuration);
        Started(log, Version, string.Join(", ", app.Urls), database.ToString(), database.Mode,
            scaleOut.IsConfigured ? $"Redis, prefix '{scaleOut.ChannelPrefix}'" : "off", app.Environment.ContentRootPath);
        if (database.DemoLogins)
        {
            DemoLogins(log, DemoData.Password);
        }
        if (app.Services.GetRequiredService<Features.Offers.OfferLinkBase>().Warning is { } links)
        {
            LinksWarning(log, links);
        }
    }

    [LoggerMessage(6, LogLevel.Warning, "{Warning}")]
    private static partial void LinksWarning(ILogger logger, string warning);

    private const string Category = "DriverOffers.Server";

    [LoggerMessage(1, LogLevel.Information, "Driver Offers {Version} listening on {Urls}; database: {Database}, {Mode} mode; scale-out: {ScaleOut}; content root: {ContentRoot}")]
    private static partial void Started(ILogger logger, string version, string urls, string database, string mode, string scaleOut, string contentRoot);

    [LoggerMessage(2, LogLevel.Information, "Demo logins, password {Password}: carl.banks, leo.durand, jacob.foster (dispatchers), vladyslav, michael (admins)")]
    private static partial void DemoLogins(ILogger logger, string password);

    [LoggerMessage(3, LogLevel.Critical, "Driver Offers did not start: {Reason}")]
    private static partial void DidNotStart(ILogger logger, string reason);

    [LoggerMessage(4, LogLevel.Critical, "Driver Offers did not start: unexpected error")]
    private static partial void DidNotStart(ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Critical, "Driver Offers stopped with an error")]
    private static partial void StoppedWithError(ILogger logger, Exception exception);

    /// <summary>The build's informational version (the SDK appends the commit it was built from).</summary>
    public static string Version { get; } =
        typeof(RunServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    private static void Report(WebApplication? app, Exception e, bool started)
    {
        // Built or not, the failure goes through logging (the app's own when it was built, so its formatter applies).
        using var own = app is null ? LoggerFactory.Create(b => b.AddSimpleConsole()) : null;
        var log = (own ?? app!.Services.GetRequiredService<ILoggerFactory>()).CreateLogger(Category);
        if (started)
        {
            StoppedWithError(log, e);
        }
        else if (Explain(e) is { } reason)
        {
            DidNotStart(log, reason);
        }
        else
        {
            DidNotStart(log, e);
        }
    }

    /// <summary>What the operator needs to read for a failure they can fix; null for a bug (then the stack trace helps).</summary>
    internal static string? Explain(Exception e) => e switch
    {
        StartupException => e.Message,
        // Kestrel's own text names the address and the cause ("address already in use", "permission denied").
        IOException when e.Message.StartsWith("Failed to bind to address", StringComparison.Ordinal) =>
            $"{e.Message.TrimEnd('.')}. Choose another address with --urls (or ASPNETCORE_URLS).",
        _ => null,
    };
}
