using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using MySql.Data.MySqlClient;

namespace DriverOffers.Server.Data.Providers;

/// <summary>
/// Makes waiting for a pooled MySQL connection asynchronous (docs/decisions/078-mysql-connection-gate.md).
/// Oracle's MySql.Data pool waits for a free connection with a blocking <c>WaitOne</c> inside <c>OpenAsync</c>, while a
/// connection goes back to it through async continuations that need a free thread-pool thread. Past
/// <c>Maximum Pool Size</c> concurrent opens (1,000 clients connecting and sending at once) every thread-pool thread
/// ended up blocked in that wait, so no connection could be given back: the server stalled until the 15 s pool
/// timeout, and queries already running timed out for want of a thread to read their answers.
/// Every connection EF opens first takes one of <c>Maximum Pool Size</c> slots here, waiting without a thread; the slot
/// is given back when the connection closes (whoever closes it) or fails to open. Oracle's own limit is set above the
/// slots, so its blocking wait is never reached. One gate per connection string, as the pool is per connection string
/// for the whole process.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "A gate lives as long as the process, like the connector's pool it guards.")]
internal sealed class MySqlConnectionGate : DbConnectionInterceptor
{
    private static readonly ConcurrentDictionary<string, MySqlConnectionGate> Gates = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _slots;

    private MySqlConnectionGate(int size)
    {
        Size = size;
        _slots = new SemaphoreSlim(size, size);
    }

    /// <summary>Connections open at once through this gate, at most.</summary>
    public int Size { get; }

    /// <summary>Slots free right now.</summary>
    public int Free => _slots.CurrentCount;

    /// <summary>
    /// The gate for <paramref name="connectionString"/> (its <c>Maximum Pool Size</c>, Oracle's default 100), and the
    /// connection string to give Oracle's connector: its pool limit raised to twice the slots, so that a connection
    /// still on its way back into the pool when its slot is freed, or one kept by an open transaction, never sends an
    /// opener into the pool's blocking wait. Null without pooling: nothing is waited for then.
    /// </summary>
    public static (MySqlConnectionGate? Gate, string ConnectionString) For(string connectionString)
    {
        var csb = new MySqlConnectionStringBuilder(connectionString);
        if (!csb.Pooling)
        {
            return (null, csb.ConnectionString);
        }
        var size = (int)Math.Max(1, csb.MaximumPoolSize);
        csb.MaximumPoolSize = (uint)(size * 2);
        var gated = csb.ConnectionString;
        return (Gates.GetOrAdd(gated, _ => new MySqlConnectionGate(size)), gated);
    }

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        _slots.Wait();
        Hold(connection);
        return result;
    }

    public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData,
        InterceptionResult result, CancellationToken cancellationToken = default)
    {
        await _slots.WaitAsync(cancellationToken);
        Hold(connection);
        return result;
    }

    /// <summary>
    /// Gives back the slot of a connection that may never close: one whose session was ended (or could not be) while a
    /// read the connector no longer cancels still holds it (the chat writer's abandoned batch). Its close later gives
    /// nothing back twice. The connector's own limit, twice the slots, leaves room for such a straggler.
    /// </summary>
    public static void GiveUp(DbConnection connection) => Slot.Of(connection)?.Release();

    public override void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) => Slot.Of(connection)?.Release();

    public override Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Slot.Of(connection)?.Release();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Tied to the connection's state rather than to EF's close: the connector closes a broken connection itself, and EF
    /// then never reports a close. Oracle's connector announces Closed after the connection is back in its pool.
    /// </summary>
    private void Hold(DbConnection connection)
    {
        var slot = new Slot(this, connection);
        Slot.Held.AddOrUpdate(connection, slot);
        connection.StateChange += slot.OnStateChange;
    }

    private sealed class Slot(MySqlConnectionGate gate, DbConnection connection)
    {
        public static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbConnection, Slot> Held = new();

        private int _released;

        public static Slot? Of(DbConnection connection) => Held.TryGetValue(connection, out var slot) ? slot : null;

        public void OnStateChange(object? sender, StateChangeEventArgs e)
        {
            if (e.CurrentState == ConnectionState.Closed)
            {
                Release();
            }
        }

        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }
            connection.StateChange -= OnStateChange;
            if (Held.TryGetValue(connection, out var held) && held == this)
            {
                Held.Remove(connection);
            }
            gate._slots.Release();
        }
    }
}
