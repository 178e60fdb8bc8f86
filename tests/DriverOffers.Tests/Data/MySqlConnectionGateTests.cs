using DriverOffers.Server.Data;
using DriverOffers.Server.Data.Providers;
using DriverOffers.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace DriverOffers.Tests.Data;

/// <summary>
/// More queries at once than the MySQL pool has connections (docs/decisions/078-mysql-connection-gate.md): Oracle's
/// pool waits for a free connection by blocking a thread, so without the gate the queries beyond the pool's size held
/// every thread while the running ones waited for a thread to read their answers, until the pool's 15 s timeout.
/// Always MariaDB, whatever the run's DRIVER_OFFERS_TEST_DB.
/// </summary>
[Trait("Provider", "mariadb")]
public sealed class MySqlConnectionGateTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("driver-offers-gate-").FullName;
    private TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync(TestDbKind.MariaDb, _dir);

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Sixty_queries_at_once_on_a_pool_of_two_all_run_and_every_slot_comes_back()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "mysql",
            ["Database:ConnectionString"] = _database.ConnectionString + ";Maximum Pool Size=2;Connection Timeout=15",
        }).Build();
        await using var services = new ServiceCollection().AddDatabase(config, new Environment(_dir)).BuildServiceProvider();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Each on its own thread-pool item with its own context, as concurrent hub calls are; each holds its connection
        // for 50 ms, so most of them find both connections taken.
        await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => Task.Run(async () =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDb>();
            await db.Database.ExecuteSqlRawAsync("DO SLEEP(0.05)");
        })));
        // 60 × 50 ms on two connections: 1.5 s and some; the pool's timeout (15 s) would have failed the queries.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(12), $"took {clock.Elapsed}");

        await using var check = services.CreateAsyncScope();
        var gate = check.ServiceProvider.GetRequiredService<AppDb>().GetService<IDbContextOptions>()
            .FindExtension<CoreOptionsExtension>()!.Interceptors!.OfType<MySqlConnectionGate>().Single();
        Assert.Equal(2, gate.Size);
        Assert.Equal(gate.Size, gate.Free);
    }

    [Fact]
    public async Task A_slot_given_up_for_a_connection_that_stays_open_comes_back_once()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "mysql",
            ["Database:ConnectionString"] = _database.ConnectionString + ";Maximum Pool Size=2",
        }).Build();
        await using var services = new ServiceCollection().AddDatabase(config, new Environment(_dir)).BuildServiceProvider();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var gate = db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()!.Interceptors!.OfType<MySqlConnectionGate>().Single();
        await db.Database.OpenConnectionAsync();
        Assert.Equal(gate.Size - 1, gate.Free);

        // As the chat writer does for the connection of a batch it abandoned, which may never close.
        MySqlConnectionGate.GiveUp(db.Database.GetDbConnection());
        Assert.Equal(gate.Size, gate.Free);

        await db.Database.CloseConnectionAsync();
        Assert.Equal(gate.Size, gate.Free);
    }

    private sealed class Environment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";
        public string ApplicationName { get; set; } = "DriverOffers.Tests";
        public string ContentRootPath { get; set; } = root;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
