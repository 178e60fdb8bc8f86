using System.Net;
using System.Net.Http.Json;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Data;

/// <summary>
/// The README's attach-mode deployment, done as an operator does it, on MariaDB whatever the run's database: the
/// dispatch database already holds <c>users</c>/<c>Trucks</c> with PHP <c>$2y$</c> hashes, the server's account may only
/// read those two tables (README's GRANTs), migrations run first with <c>--migrate-only</c>, then the published-style
/// process starts with <c>Database__MigrateOnStartup=false</c>.
/// </summary>
public sealed class AttachModeProcessTests : IAsyncLifetime
{
    /// <summary>PHP's own <c>password_hash('rasmuslerdorf', PASSWORD_DEFAULT)</c>, from the PHP manual's password_verify example.</summary>
    private const string PhpHash = "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a";
    private const string PhpPassword = "rasmuslerdorf";
    private const string DbPassword = "Offers-Db-Pa55word";
    private const string JwtSecret = "attach-mode-secret-attach-mode-secret-0123456789";

    private readonly string _dir = Directory.CreateTempSubdirectory("driver-offers-attach-").FullName;
    private readonly string _user = $"offers_{Guid.NewGuid():N}"[..20];
    private TestDatabase _database = null!;
    private MariaDbServer _maria = null!;

    public async Task InitializeAsync()
    {
        _maria = await MariaDbServer.Instance;
        _database = await TestDatabase.CreateAsync(TestDbKind.MariaDb, _dir);
        var script = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Data", "legacy-dispatch.mariadb.sql"));
        await _maria.ExecuteAsync(script.Replace("{{PASSWORD_HASH}}", PhpHash, StringComparison.Ordinal), _database.Name);
        var db = _database.Name;
        // The README's least-privilege account: read users/Trucks, own its tables (named before they exist).
        var grants = new List<string> { $"CREATE USER '{_user}'@'%' IDENTIFIED BY '{DbPassword}'",
            $"GRANT SELECT ON `{db}`.`users` TO '{_user}'@'%'", $"GRANT SELECT ON `{db}`.`Trucks` TO '{_user}'@'%'" };
        grants.AddRange(new[] { "offers", "offer_proposals", "chat_messages", "socket_sessions", "driver_access_codes", "outbox_messages", "revoked_tokens", "__EFMigrationsHistory" }
            .Select(t => $"GRANT ALL ON `{db}`.`{t}` TO '{_user}'@'%'"));
        foreach (var sql in grants)
        {
            await _maria.ExecuteAsync(sql);
        }
    }

    public async Task DisposeAsync()
    {
        await _maria.ExecuteAsync($"DROP USER IF EXISTS '{_user}'@'%'");
        await _database.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Migrated_first_then_started_without_migrating_it_signs_in_legacy_php_users_and_names_its_database_without_the_password()
    {
        var env = new Dictionary<string, string>
        {
            ["Database__Mode"] = "attach",
            ["Database__Provider"] = "mysql",
            ["Database__ConnectionString"] = $"Server=127.0.0.1;Port={_maria.Port};Database={_database.Name};User ID={_user};Password={DbPassword};SslMode=Disabled",
            ["Database__MigrateOnStartup"] = "false",
            ["Auth__JwtSecret"] = JwtSecret,
        };
        await using (var migrate = ServerProcess.Start(env, _dir, "--contentRoot", _dir, "--migrate-only"))
        {
            Assert.True(await migrate.WaitForExitAsync(TimeSpan.FromSeconds(120)) == 0, migrate.Output);
        }

        await using var server = ServerProcess.StartListening(env, _dir, "--contentRoot", _dir);
        await server.WaitReadyAsync();
        using var http = new HttpClient { BaseAddress = server.Url };
        var php = await http.PostAsJsonAsync("/api/auth/login", new { username = "carl.banks", password = PhpPassword });
        Assert.Equal(HttpStatusCode.OK, php.StatusCode);
        var demo = await http.PostAsJsonAsync("/api/auth/login", new { username = "carl.banks", password = "demo-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, demo.StatusCode);
        server.Terminate();
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var output = server.Output;
        Assert.Contains($"database: MySQL/MariaDB database '{_database.Name}' on 127.0.0.1:{_maria.Port} as '{_user}', attach mode", output, StringComparison.Ordinal);
        Assert.Contains($"listening on {server.Url!.ToString().TrimEnd('/')}", output, StringComparison.Ordinal);
        // There are no demo accounts in someone else's database.
        Assert.DoesNotContain("Demo logins", output, StringComparison.Ordinal);
        Assert.DoesNotContain("demo-password", output, StringComparison.Ordinal);
        Assert.DoesNotContain(DbPassword, output, StringComparison.Ordinal);
        Assert.DoesNotContain(JwtSecret, output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "data")), "attach mode keeps nothing in a data folder");
    }
}
