using MySql.Data.MySqlClient;

namespace DriverOffers.Tests.Infrastructure;

/// <summary>One MariaDB server for the whole test run (Debian <c>mariadb-server</c>), started on first use.</summary>
internal sealed class MariaDbServer
{
    private static readonly Lazy<Task<MariaDbServer>> Shared = new(StartAsync);

    private MariaDbServer(int port) => Port = port;

    public int Port { get; }

    public static Task<MariaDbServer> Instance => Shared.Value;

    public string ConnectionString(string? database = null) =>
        new MySqlConnectionStringBuilder
        {
            Server = "127.0.0.1",
            Port = (uint)Port,
            UserID = "root",
            Password = "",
            Database = database ?? "",
            SslMode = MySqlSslMode.Disabled,
            MaximumPoolSize = 200,
        }.ConnectionString;

    public async Task ExecuteAsync(string sql, string? database = null)
    {
        await using var connection = new MySqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new MySqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// As PostgreSQL's <c>DROP … WITH (FORCE)</c>: ends the sessions still in the database, then drops it, waiting at
    /// most 30 s for its locks. A session killed mid-transaction can keep a row lock until its client lets go, and
    /// MariaDB's default lock wait is a day: one such session once held a run's clean-up for over 20 minutes. The
    /// database lives on a throwaway server, so one left behind costs nothing.
    /// </summary>
    public async Task DropDatabaseAsync(string name)
    {
        await using var connection = new MySqlConnection(ConnectionString());
        await connection.OpenAsync();
        var sessions = new List<long>();
        await using (var list = new MySqlCommand("SELECT id FROM information_schema.processlist WHERE db = @db AND id <> CONNECTION_ID()", connection))
        {
            list.Parameters.AddWithValue("@db", name);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                sessions.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        foreach (var id in sessions)
        {
            try
            {
                await using var kill = new MySqlCommand($"KILL CONNECTION {id}", connection);
                await kill.ExecuteNonQueryAsync();
            }
            catch (MySqlException)
            {
                // Gone already.
            }
        }
        try
        {
            await using var drop = new MySqlCommand($"SET SESSION lock_wait_timeout = 30; DROP DATABASE IF EXISTS `{name}`", connection);
            await drop.ExecuteNonQueryAsync();
        }
        catch (MySqlException e)
        {
            Console.Error.WriteLine($"Test database {name} left on the throwaway MariaDB: {e.Message}");
        }
    }

    private static async Task<MariaDbServer> StartAsync()
    {
        const string hint = "apt-get update && apt-get install -y mariadb-server";
        var installDb = DatabaseServerProcess.Find("mariadb-install-db", hint);
        var mariadbd = DatabaseServerProcess.Find("mariadbd", hint);
        var dir = DatabaseServerProcess.TempDir("driver-offers-mariadb");
        var data = Path.Combine(dir, "data");
        string[] asUser = DatabaseServerProcess.IsRoot ? ["--user=root"] : [];
        await DatabaseServerProcess.RunAsync(installDb,
            ["--no-defaults", $"--datadir={data}", "--auth-root-authentication-method=normal", "--skip-test-db", .. asUser]);
        var port = DatabaseServerProcess.FreePort();
        var process = DatabaseServerProcess.Start(dir, mariadbd,
        [
            "--no-defaults", $"--datadir={data}", $"--port={port}", "--bind-address=127.0.0.1",
            $"--socket={Path.Combine(dir, "mysqld.sock")}", $"--pid-file={Path.Combine(dir, "mysqld.pid")}",
            "--skip-name-resolve", "--skip-log-bin", "--max-connections=2000",
            "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci",
            // Not UTC, like a dispatch office's server in Chicago: legacy TIMESTAMPs must still be read as true UTC.
            "--default-time-zone=-05:00",
            // A throwaway server: durability traded for speed.
            "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0", "--innodb-buffer-pool-size=256M",
            .. asUser,
        ]);
        var server = new MariaDbServer(port);
        await process.WaitReadyAsync("MariaDB", () => server.ExecuteAsync("SELECT 1"), TimeSpan.FromSeconds(180));
        return server;
    }
}
