using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using DriverOffers.Server.Common;
using DriverOffers.Server.Data;
using DriverOffers.Server.Features.Geo;
using DriverOffers.Server.Features.Presence;
using DriverOffers.Server.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DriverOffers.Server.Features.Drivers;

/// <summary>Configuration section <c>Trucks</c>.</summary>
public sealed class TruckWatchOptions
{
    public const string Section = "Trucks";

    /// <summary>How often <c>Trucks.updated_at</c> is polled for changes made by the legacy app; 0 turns watching off.</summary>
    public double PollSeconds { get; set; } = 5;
}

/// <summary>
/// Notices changes the legacy dispatch app makes to <c>Trucks</c> (status, location) and pushes each changed truck
/// to every dispatcher as <c>truck_updated</c>. The legacy app writes the table directly, so polling
/// <c>updated_at</c> is the only signal: each poll reads rows with <c>updated_at &gt;= last seen − overlap</c>, which
/// the <c>idx_trucks_updated_at</c> index (standalone; attach-mode databases may lack it) keeps cheap on 10k rows.
/// The overlap catches rows written in the same (1-second) tick as the last poll or committed a little late; rows
/// read again are pushed only if what dispatchers see changed. The overlap is read again until it has also passed on
/// this server's clock since the newest row was first seen; then only newer rows are read, so that after a bulk change
/// (all 10,000 trucks stamped within two seconds) each poll does not load every truck again until the next change. A
/// row changed without touching <c>updated_at</c> is not noticed.
/// </summary>
public sealed class TruckChangeWatcher(
    IServiceScopeFactory scopes, IHubContext<OffersHub, IOffersClient> hub, Gazetteer gazetteer, IPresence presence,
    IOptions<TruckWatchOptions> options, TimeProvider clock, ILogger<TruckChangeWatcher> log) : BackgroundService
{
    private static readonly TimeSpan Overlap = TimeSpan.FromSeconds(2);
    /// <summary>
    /// What was last pushed for each truck still inside the overlap: its <c>updated_at</c> (to forget it once outside)
    /// and a fingerprint of its view, to tell whether a row read again changed. After a bulk change that is every
    /// truck; whole views were ~0.6 KB each (6 MB for 10,000 trucks), a fingerprint is 16 bytes.
    /// </summary>
    private readonly Dictionary<int, (DateTime? UpdatedAt, UInt128 View)> _pushed = [];
    private DateTime? _lastSeen;
    private long _lastSeenMovedAt;
    private bool _overlapSettled;

    private readonly FailureStreak _failures = new(log, "Polling Trucks for changes");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.PollSeconds <= 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds));
        do
        {
            try
            {
                await PollAsync(stoppingToken);
                _failures.Succeeded();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A database hiccup must not stop the watcher: the next tick retries from the same point.
                _failures.Failed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task PollAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDb>();
        var started = clock.GetTimestamp();
        // The first poll only takes note of where things are: what changed before start-up is what dispatchers load.
        var baseline = _lastSeen is null;
        if (_lastSeen is null)
        {
            _lastSeen = await db.Trucks.MaxAsync(t => t.UpdatedAt, ct) ?? DateTime.MinValue;
            _lastSeenMovedAt = started;
        }
        var lastSeen = _lastSeen.Value;
        var since = lastSeen == DateTime.MinValue ? DateTime.MinValue : lastSeen - Overlap;
        var rows = db.Trucks.AsNoTracking().Where(t => t.UpdatedAt != null);
        var changed = await (_overlapSettled ? rows.Where(t => t.UpdatedAt > lastSeen) : rows.Where(t => t.UpdatedAt >= since))
            .ToListAsync(ct);
        var toPush = new List<(Truck Truck, DriverResponse Driver)>();
        foreach (var truck in changed.OrderBy(t => t.UpdatedAt).ThenBy(t => t.Id))
        {
            // Compared by content, so a second change within the same updated_at second is still pushed.
            var driver = DriverResponse.From(truck, gazetteer);
            var view = Fingerprint(driver);
            if (_pushed.TryGetValue(truck.Id, out var last) && last.View == view)
            {
                continue;
            }
            _pushed[truck.Id] = (truck.UpdatedAt, view);
            if (truck.UpdatedAt > _lastSeen)
            {
                _lastSeen = truck.UpdatedAt;
            }
            if (!baseline)
            {
                toPush.Add((truck, driver));
            }
        }
        if (toPush.Count > 0)
        {
            // Presence stays out of the fingerprint (a connect is not a change of the truck), and is asked once for
            // every truck pushed: a bulk change pushes thousands.
            var online = await DriverResponse.PresenceOf(presence, toPush.Select(p => p.Truck));
            foreach (var (_, driver) in toPush)
            {
                await hub.Clients.Group(HubGroups.Dispatchers).truck_updated(driver.WithPresence(online));
            }
        }
        if (_lastSeen != lastSeen)
        {
            _lastSeenMovedAt = started;
            _overlapSettled = false;
        }
        else if (clock.GetElapsedTime(_lastSeenMovedAt, started) >= Overlap)
        {
            // This poll read the overlap again a full overlap after its newest row was first seen.
            _overlapSettled = true;
        }
        var horizon = _lastSeen.Value == DateTime.MinValue ? DateTime.MinValue : _lastSeen.Value - Overlap;
        foreach (var old in _pushed.Where(p => p.Value.UpdatedAt < horizon).Select(p => p.Key).ToList())
        {
            _pushed.Remove(old);
        }
    }

    /// <summary>The view as dispatchers get it, hashed with SHA-256 (truncated to 128 bits): equal fingerprints are equal views.</summary>
    private static UInt128 Fingerprint(DriverResponse driver)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(driver, ApiJson.Options), hash);
        return BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }
}
