using System.Reflection;
using DriverOffers.Server.Hosting;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Hosting;

/// <summary>What the real process prints when it starts, and where it finds its settings and web app.</summary>
public sealed class StartupLogTests : IDisposable
{
    private const string Secret = "startup-log-secret-startup-log-secret-0123456789";

    private readonly string _dir = Directory.CreateTempSubdirectory("driver-offers-startlog-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_standalone_start_logs_one_line_with_version_database_mode_and_address_then_the_demo_logins_and_SIGTERM_exits_0()
    {
        await using var server = ServerProcess.StartListening(new Dictionary<string, string> { ["Auth__JwtSecret"] = Secret }, _dir, "--contentRoot", _dir);
        await server.WaitReadyAsync();
        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var version = typeof(RunServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        var started = Line(server.Output, "Driver Offers ");
        Assert.StartsWith($"Driver Offers {version} listening on {server.Url!.ToString().TrimEnd('/')}; ", started, StringComparison.Ordinal);
        Assert.Contains($"database: SQLite database {Path.Combine(_dir, "data", "driver-offers.db")}, standalone mode; scale-out: off; content root: {_dir}", started,
            StringComparison.Ordinal);
        Assert.Contains("Demo logins, password demo-password: carl.banks, leo.durand, jacob.foster (dispatchers), vladyslav, michael (admins)",
            server.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "data", "driver-offers.db")), "the README's data folder");
        Assert.DoesNotContain(Secret, server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_demo_data_no_demo_logins_are_announced()
    {
        await using var server = ServerProcess.StartListening(
            new Dictionary<string, string> { ["Auth__JwtSecret"] = Secret, ["Database__Demo"] = "false" }, _dir, "--contentRoot", _dir);
        await server.WaitReadyAsync();
        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("standalone mode", Line(server.Output, "Driver Offers "), StringComparison.Ordinal);
        Assert.DoesNotContain("demo", server.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Started_from_another_folder_it_reads_its_own_settings_and_keeps_its_content_root()
    {
        // `dotnet /opt/driver-offers/DriverOffers.Server.dll` from / (a service without WorkingDirectory): the working
        // directory was the content root, so appsettings.json (log levels), wwwroot and data/ were looked for there.
        var env = new Dictionary<string, string>
        {
            ["Auth__JwtSecret"] = Secret,
            ["Database__ConnectionString"] = $"Data Source={Path.Combine(_dir, "offers.db")}",
        };
        await using var server = ServerProcess.StartListening(env, _dir);
        await server.WaitReadyAsync();
        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains($"content root: {AppContext.BaseDirectory.TrimEnd('/')}", Line(server.Output, "Driver Offers "), StringComparison.Ordinal);
        // appsettings.json keeps EF Core at Warning; without it every SQL statement was logged.
        Assert.DoesNotContain("Executed DbCommand", server.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "data")));
    }

    /// <summary>The text of the log entry whose message starts with <paramref name="start"/> (the line after "info: Category[id]").</summary>
    private static string Line(string output, string start) =>
        output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(start, StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"No line starting with '{start}':\n{output}");
}
