using System.Net;
using System.Net.Sockets;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Hosting;

/// <summary>
/// Configuration mistakes an operator makes, tried on the real process: each ends it quickly with exit code 1 and one
/// critical log line naming the setting and what is allowed. No unhandled exception (exit code 134, a stack trace wall),
/// no hang, no secret from the configuration in the output.
/// </summary>
public sealed class StartupFailureTests : IDisposable
{
    private const string Secret = "a-long-test-secret-of-at-least-32-bytes-0123456789";
    private const string DbPassword = "Db-Pa55word-Never-Logged";

    private readonly string _dir = Directory.CreateTempSubdirectory("driver-offers-startup-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public Task An_unknown_database_provider_names_the_supported_ones() =>
        FailsWith(new() { ["Database__Provider"] = "oracle" },
            "Database:Provider 'oracle' is not supported; use sqlite, mysql (MySQL/MariaDB) or postgres.");

    [Fact]
    public Task An_unknown_database_mode_names_the_supported_ones() =>
        FailsWith(new() { ["Database__Mode"] = "attached" }, "Database:Mode 'attached' is not supported; use standalone or attach.");

    [Fact]
    public Task A_connection_string_with_a_misspelt_keyword_says_which() =>
        FailsWith(new() { ["Database__ConnectionString"] = "Data Sourc=offers.db" },
            "Database:ConnectionString is not a valid sqlite connection string", "'data sourc'");

    [Fact]
    public Task A_server_database_without_a_connection_string_says_it_needs_one() =>
        FailsWith(new() { ["Database__Provider"] = "mysql" }, "Database:ConnectionString is not set; Database:Provider=mysql needs one");

    [Fact]
    public Task A_MySQL_server_that_does_not_answer_is_named_without_the_password() =>
        FailsWith(new()
        {
            ["Database__Provider"] = "mysql",
            ["Database__ConnectionString"] = $"Server=127.0.0.1;Port={ClosedPort()};Database=dispatch;User ID=offers;Password={DbPassword}",
        }, "Database:ConnectionString: the MySQL/MariaDB database 'dispatch' on 127.0.0.1:", "as 'offers' could not be used", "Connection refused");

    [Fact]
    public Task A_PostgreSQL_server_that_does_not_answer_is_named_without_the_password() =>
        FailsWith(new()
        {
            ["Database__Provider"] = "postgres",
            ["Database__ConnectionString"] = $"Host=127.0.0.1;Port={ClosedPort()};Database=offers;Username=offers;Password={DbPassword}",
        }, "Database:ConnectionString: the PostgreSQL database 'offers' on 127.0.0.1:", "could not be used");

    [Fact]
    public Task Attach_mode_without_a_jwt_secret_is_refused_instead_of_signing_with_a_key_of_its_own() =>
        FailsWith(new()
        {
            ["Database__Mode"] = "attach",
            ["Database__Provider"] = "mysql",
            ["Database__ConnectionString"] = $"Server=127.0.0.1;Port={ClosedPort()};Database=dispatch;User ID=offers;Password={DbPassword}",
            ["Auth__JwtSecret"] = "",
        }, "Auth:JwtSecret is not set; it is required with Database:Mode=attach");

    [Fact]
    public Task Attach_mode_on_a_database_without_the_legacy_tables_names_the_table() =>
        FailsWith(new() { ["Database__Mode"] = "attach" },
            "Database:Mode=attach: the existing 'users' table cannot be read with the expected columns", "no such table: users");

    [Fact]
    public async Task Scale_out_without_a_jwt_secret_is_refused_and_no_key_is_generated()
    {
        await FailsWith(new() { ["Redis__ConnectionString"] = "127.0.0.1:6379", ["Auth__JwtSecret"] = "" },
            "Auth:JwtSecret is not set; it is required with Database:Mode=attach or Redis:ConnectionString");
        Assert.False(File.Exists(Path.Combine(_dir, "data", "jwt-secret")));
    }

    [Fact]
    public Task A_redis_connection_string_with_an_unknown_option_is_refused_at_start() =>
        FailsWith(new() { ["Redis__ConnectionString"] = "127.0.0.1:6379,pasword=secret" }, "Redis:ConnectionString is not a valid StackExchange.Redis configuration");

    [Fact]
    public Task A_short_jwt_secret_says_how_long_it_is_and_must_be_without_echoing_it() =>
        FailsWith(new() { ["Auth__JwtSecret"] = "short-secret" }, "Auth:JwtSecret is 12 bytes; HS256 needs at least 32.");

    [Theory]
    [InlineData("http://127.0.0.1:abc", "has no valid port ('abc'")]
    [InlineData("localhost:8080", "does not start with http:// or https://")]
    [InlineData("http://0.0.0.0:99999", "has no valid port ('99999'")]
    [InlineData("http://127.0.0.1:8080/offers", "has a path")]
    public async Task A_listen_address_that_is_not_http_host_port_is_refused_before_anything_listens(string urls, string problem)
    {
        // Kestrel took the first one for "every interface, port 80" and listened there.
        await FailsWith(new(), ["--urls", urls], $"--urls (or ASPNETCORE_URLS): '{urls.Split(';')[^1]}' {problem}");
    }

    [Fact]
    public async Task An_address_already_in_use_is_named_in_one_line()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
        await FailsWith(new(), ["--urls", url], $"Failed to bind to address {url}: address already in use. Choose another address with --urls");
    }

    [Fact]
    public async Task A_sqlite_folder_that_cannot_be_created_is_named()
    {
        var blocker = Path.Combine(_dir, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "");
        await FailsWith(new() { ["Database__ConnectionString"] = $"Data Source={blocker}/offers.db" },
            $"Database:ConnectionString: the folder of the SQLite file, {blocker}, cannot be created");
    }

    [Fact]
    public async Task A_data_folder_where_the_generated_jwt_secret_cannot_be_kept_is_named()
    {
        // The content root's data/ is a file: the generated secret has nowhere to go.
        await File.WriteAllTextAsync(Path.Combine(_dir, "data"), "");
        await FailsWith(new() { ["Auth__JwtSecret"] = "", ["Database__ConnectionString"] = $"Data Source={Path.Combine(_dir, "offers.db")}" },
            $"Auth:JwtSecret is not set and the generated one cannot be kept in {Path.Combine(_dir, "data", "jwt-secret")}");
    }

    private Task FailsWith(Dictionary<string, string> env, params string[] expected) => FailsWith(env, ["--urls", "http://127.0.0.1:0"], expected);

    private async Task FailsWith(Dictionary<string, string> env, string[] args, params string[] expected)
    {
        env.TryAdd("Auth__JwtSecret", Secret);
        if (!env.ContainsKey("Database__Provider"))
        {
            env.TryAdd("Database__ConnectionString", $"Data Source={Path.Combine(_dir, "offers.db")}");
        }
        await using var server = ServerProcess.Start(env, _dir, ["--contentRoot", _dir, .. args]);
        var exit = await server.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var output = server.Output;

        Assert.True(exit == 1, $"exit code {exit}, expected 1:\n{output}");
        var critical = output.Split('\n').Where(l => l.StartsWith("crit:", StringComparison.Ordinal)).ToList();
        Assert.True(critical.Count == 1, $"one critical entry expected:\n{output}");
        Assert.Contains("Driver Offers did not start: ", output, StringComparison.Ordinal);
        foreach (var text in expected)
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        Assert.DoesNotContain(DbPassword, output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", output, StringComparison.Ordinal);
    }

    /// <summary>A loopback port nothing listens on (taken free, then released).</summary>
    private static int ClosedPort() => DatabaseServerProcess.FreePort();
}
