using Npgsql;

namespace DriverOffers.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server for the whole test run, from the installed PostgreSQL 15 binaries, started on first use.
/// PostgreSQL refuses to run as root, so under root it runs as the <c>postgres</c> system user. A test that stops the
/// database starts one of its own (<see cref="StartOwnAsync"/>).
/// </summary>
internal sealed class PostgresServer
{
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private const string BinDir = "/usr/lib/postgresql/15/bin";

    private DatabaseServerProcess? _process;
    private Func<DatabaseServerProcess>? _start;

    private PostgresServer(int port) => Port = port;

    /// <summary>A server for one test, which may stop it and start it again on the same port and data.</summary>
    public static Task<PostgresServer> StartOwnAsync() => StartAsync();

    /// <summary>Stops the server at once (as a crash or an outage would), keeping its data for <see cref="RestartAsync"/>.</summary>
    public void Stop() => _process?.Stop(keepData: true);

    /// <summary>Stops the server for good and throws its data away.</summary>
    public void Dispose() => _process?.Stop();

    /// <summary>Starts a stopped server again (same port, same data) and waits until it answers.</summary>
    public async Task RestartAsync()
    {
        _process = _start!();
        await _process.WaitReadyAsync("PostgreSQL", () => ExecuteAsync("SELECT 1"), TimeSpan.FromSeconds(180));
    }

    public int Port { get; }

    public static Task<PostgresServer> Instance => Shared.Value;

    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
            MaxPoolSize = 100,
        }.ConnectionString;

    public async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<PostgresServer> StartAsync()
    {
        const string hint = "apt-get update && apt-get install -y postgresql-15";
        var initdb = DatabaseServerProcess.Find("initdb", hint, BinDir);
        var postgres = DatabaseServerProcess.Find("postgres", hint, BinDir);
        var dir = DatabaseServerProcess.TempDir("driver-offers-pg");
        var data = Path.Combine(dir, "data");
        string[] runAs = [];
        if (DatabaseServerProcess.IsRoot)
        {
            await DatabaseServerProcess.RunAsync("chown", "postgres:postgres", dir);
            // setpriv execs, so the PID we hold (and stop) is the postmaster's own.
            runAs = ["--reuid=postgres", "--regid=postgres", "--init-groups", "--"];
        }
        var setpriv = runAs.Length > 0 ? DatabaseServerProcess.Find("setpriv", "apt-get install -y util-linux") : null;

        string[] initArgs = ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C.UTF-8"];
        await (setpriv is null
            ? DatabaseServerProcess.RunAsync(initdb, initArgs)
            : DatabaseServerProcess.RunAsync(setpriv, [.. runAs, initdb, .. initArgs]));

        var port = DatabaseServerProcess.FreePort();
        string[] serverArgs =
        [
            "-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-h", "127.0.0.1", "-k", dir,
            "-c", "max_connections=500", "-c", "shared_buffers=64MB", "-c", "timezone=UTC",
            // A throwaway server: durability traded for speed.
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
        ];
        var server = new PostgresServer(port);
        server._start = () => setpriv is null
            ? DatabaseServerProcess.Start(dir, postgres, serverArgs, stopSignal: "QUIT")
            : DatabaseServerProcess.Start(dir, setpriv, [.. runAs, postgres, .. serverArgs], stopSignal: "QUIT");
        await server.RestartAsync();
        return server;
    }
}
