using System.Text.Json;
using System.Text.RegularExpressions;
using DriverOffers.Server.Features.Presence;
using DriverOffers.Tests.Infrastructure;
using DriverOffers.Tests.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace DriverOffers.Tests.Features.Presence;

/// <summary>A fake clock (presence times out after 2 s) and the announcer's batches logged at debug.</summary>
public sealed class PresenceBatchServerFixture : ServerFixture
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Presence:TimeoutSeconds"] = "2",
        ["Realtime:CallBurst"] = "100000",
        [$"Logging:LogLevel:{typeof(PresenceAnnouncer).FullName}"] = "Debug",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>Many people going offline at once are announced to the same people as one at a time, with an audience
/// query per batch rather than per person.</summary>
public sealed partial class MassDisconnectPresenceTests(PresenceBatchServerFixture server) : IClassFixture<PresenceBatchServerFixture>
{
    private const int Drivers = 40;

    [Fact]
    public async Task Forty_drivers_dropping_at_once_are_each_announced_to_their_dispatchers_and_supervisors_in_a_few_queries()
    {
        var trucks = server.AddTestTrucks(Drivers);
        server.SeedOffer(HubKit.Carl, trucks);
        server.SeedOffer(HubKit.Leo, trucks[..10]);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        await using var leo = await server.ConnectDispatcher("leo.durand");
        await using var admin = await server.ConnectDispatcher("vladyslav");
        var drivers = new List<Client>();
        foreach (var truck in trucks)
        {
            drivers.Add(await server.ConnectDriver(truck));
        }
        await carl.Events.WaitForCount("presence_changed", Drivers, e => Is(e, trucks, online: true));
        var capture = Capture();

        await Task.WhenAll(drivers.Select(d => d.DisposeAsync().AsTask()));

        var toCarl = await carl.Events.WaitForCount("presence_changed", Drivers, e => Is(e, trucks, online: false));
        await admin.Events.WaitForCount("presence_changed", Drivers, e => Is(e, trucks, online: false));
        await leo.Events.WaitForCount("presence_changed", 10, e => Is(e, trucks, online: false));
        await HubKit.Settle();
        Assert.Equal(trucks.Order(), toCarl.Select(e => e.GetProperty("user_id").GetInt32()).Order());
        Assert.Equal(trucks[..10].Order(), leo.Events.All("presence_changed", e => Is(e, trucks, online: false)).Select(e => e.GetProperty("user_id").GetInt32()).Order());
        var batches = Batches(capture);
        Assert.Equal(Drivers, batches.Sum(b => b.Drivers));
        Assert.True(batches.Sum(b => b.Queries) < Drivers / 2, $"{batches.Sum(b => b.Queries)} audience queries for {Drivers} drivers in {batches.Count} batches");
    }

    [Fact]
    public async Task A_sweep_announces_every_silent_person_with_one_audience_query_per_kind()
    {
        var trucks = server.AddTestTrucks(30);
        server.SeedOffer(HubKit.Carl, trucks);
        await using var carl = await server.ConnectDispatcher("carl.banks");
        var drivers = new List<Client>();
        foreach (var truck in trucks)
        {
            drivers.Add(await server.ConnectDriver(truck));
        }
        await carl.Events.WaitForCount("presence_changed", trucks.Length, e => Is(e, trucks, online: true));
        var capture = Capture();

        server.Clock.Advance(TimeSpan.FromSeconds(3));

        await carl.Events.WaitForCount("presence_changed", trucks.Length, e => Is(e, trucks, online: false));
        // Carl went silent too: the drivers of his offers are told.
        await drivers[0].Events.WaitFor("presence_changed", e => e.GetProperty("user_type").GetString() == "dispatcher"
            && e.GetProperty("user_id").GetInt32() == HubKit.Carl && !e.GetProperty("is_online").GetBoolean());
        var sweep = Assert.Single(Batches(capture), b => b.Drivers >= trucks.Length);
        Assert.True(sweep.Queries <= 2, $"{sweep.Queries} audience queries for one sweep");
        foreach (var driver in drivers)
        {
            await driver.DisposeAsync();
        }
    }

    private static bool Is(JsonElement e, int[] trucks, bool online) =>
        e.GetProperty("user_type").GetString() == "driver" && trucks.Contains(e.GetProperty("user_id").GetInt32())
        && e.GetProperty("is_online").GetBoolean() == online;

    private CapturingLoggerProvider Capture()
    {
        var capture = new CapturingLoggerProvider();
        server.Services.GetRequiredService<ILoggerFactory>().AddProvider(capture);
        return capture;
    }

    private static List<(int Drivers, int Queries)> Batches(CapturingLoggerProvider capture) =>
        [.. capture.Entries.Where(e => e.Category == typeof(PresenceAnnouncer).FullName)
            .Select(e => BatchLine().Match(e.Message))
            .Where(m => m.Success)
            .Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))];

    [GeneratedRegex(@"\((\d+) of drivers\) with (\d+) audience queries")]
    private static partial Regex BatchLine();
}
