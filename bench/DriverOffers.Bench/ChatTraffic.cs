using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace DriverOffers.Bench;

/// <summary>
/// Chat load over a set of conversations, each with one connected dispatcher and one connected driver. Sends on a
/// fixed schedule (open loop: a slow server does not slow the schedule down, it shows up as latency), and measures
/// send → acknowledgement (the stored message returned to the sender) and send → <c>new_message</c> at the other side.
/// Every message is tracked by its client_message_id, so loss and duplicates are counted, not guessed.
/// </summary>
public sealed class ChatTraffic
{
    private readonly Conversation[] _conversations;
    private readonly string _prefix = $"b{Guid.NewGuid():N}"[..9];
    private readonly ConcurrentDictionary<string, SendRecord> _sent = new();
    private long _seq;
    private long _acked, _delivered, _errors, _duplicates, _inFlight;
    private volatile bool _measuring;
    private volatile bool _outage;
    private long _failedInOutage;

    public BenchClient[] Dispatchers { get; }
    public BenchClient[] Drivers { get; }
    public LatencyRecorder Ack { get; } = new();
    public LatencyRecorder Delivery { get; } = new();
    public long Sent => Interlocked.Read(ref _seq);
    public long Acked => Interlocked.Read(ref _acked);
    public long Delivered => Interlocked.Read(ref _delivered);
    public long Errors => Interlocked.Read(ref _errors);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long InFlight => Interlocked.Read(ref _inFlight);
    public long FailedInOutage => Interlocked.Read(ref _failedInOutage);

    /// <summary>While the server is down on purpose, failed sends are expected: they are kept for a resend, not errors.</summary>
    public void Outage(bool on) => _outage = on;
    public ConcurrentQueue<string> ErrorSamples { get; } = new();

    /// <summary>Called for every message a client learns about: (conversation, driver side, message, is its own ack).</summary>
    public Action<int, bool, WireMessage, bool>? Seen { get; set; }

    public ChatTraffic(BenchContext ctx, Conversation[] conversations, IRetryPolicy? reconnect = null, ServerGate? gate = null)
    {
        _conversations = conversations;
        Dispatchers = [.. conversations.Select(c => new BenchClient(ctx.Url, "dispatcher", c.DispatcherId, c.DispatcherToken, reconnect, gate))];
        Drivers = [.. conversations.Select(c => new BenchClient(ctx.Url, "driver", c.DriverId, c.DriverToken, reconnect, gate))];
        for (var i = 0; i < conversations.Length; i++)
        {
            var index = i;
            Dispatchers[i].On("new_message", m => OnNewMessage(index, toDriver: false, m));
            Drivers[i].On("new_message", m => OnNewMessage(index, toDriver: true, m));
        }
    }

    public IEnumerable<BenchClient> All => Dispatchers.Concat(Drivers);

    public string Status() =>
        $"sent {Sent} acked {Acked} delivered {Delivered} in-flight {InFlight} errors {Errors}";

    /// <summary>Only messages sent while measuring count towards the latency figures (warm-up is excluded).</summary>
    public void Measuring(bool on) => _measuring = on;

    public Task SendAsync(int conversation, bool fromDriver, CancellationToken ct = default)
    {
        var cmid = $"{_prefix}-{Interlocked.Increment(ref _seq)}";
        var record = new SendRecord(conversation, fromDriver, _measuring, Stopwatch.GetTimestamp());
        _sent[cmid] = record;
        return SendAsync(cmid, record, ct);
    }

    /// <summary>Sends every message whose send failed again, with the same client_message_id (as a client does after a reconnect).</summary>
    public async Task ResendFailedAsync()
    {
        var failed = _sent.Where(kv => kv.Value.Failed).ToList();
        await Parallel.ForEachAsync(failed, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (kv, ct) =>
        {
            kv.Value.Failed = false;
            await SendAsync(kv.Key, kv.Value, ct);
        });
    }

    private async Task SendAsync(string cmid, SendRecord record, CancellationToken ct)
    {
        var conversation = record.Conversation;
        var fromDriver = record.FromDriver;
        var c = _conversations[conversation];
        var client = fromDriver ? Drivers[conversation] : Dispatchers[conversation];
        Interlocked.Increment(ref _inFlight);
        try
        {
            var stored = await client.SendMessageAsync(c.OfferId, c.DriverId, "Can you do 1450? Loaded by 9.", cmid, ct);
            var now = Stopwatch.GetTimestamp();
            record.AckId = stored.Id;
            record.AckedAt = now;
            if (stored.ClientMessageId != cmid || stored.OfferId != c.OfferId || stored.DriverId != c.DriverId)
            {
                Error($"ack for {cmid} names another message ({stored.ClientMessageId}, offer {stored.OfferId}, driver {stored.DriverId})");
            }
            Interlocked.Increment(ref _acked);
            if (record.Measured) Ack.Add(LatencyRecorder.Ms(record.SentAt, now));
            Seen?.Invoke(conversation, fromDriver, stored, true);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            record.Failed = true;
            if (_outage)
            {
                Interlocked.Increment(ref _failedInOutage);
            }
            else
            {
                Error($"send_message failed: {e.GetType().Name}: {e.Message}");
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void OnNewMessage(int conversation, bool toDriver, JsonElement json)
    {
        var now = Stopwatch.GetTimestamp();
        WireMessage m;
        try
        {
            m = WireMessage.From(json);
        }
        catch (Exception e)
        {
            Error($"new_message could not be read: {e.Message}");
            return;
        }
        Seen?.Invoke(conversation, toDriver, m, false);
        var fromOtherSide = m.SenderType == (toDriver ? "dispatcher" : "driver");
        if (!fromOtherSide || m.ClientMessageId is not { } cmid || !_sent.TryGetValue(cmid, out var record))
        {
            return; // the sender's own echo, a system message, or not ours
        }
        if (record.CountDelivery() > 1)
        {
            Interlocked.Increment(ref _duplicates);
            Error($"{cmid} delivered {record.Deliveries} times to the {(toDriver ? "driver" : "dispatcher")}");
            return;
        }
        Interlocked.Increment(ref _delivered);
        if (record.Measured) Delivery.Add(LatencyRecorder.Ms(record.SentAt, now));
    }

    public void Error(string message)
    {
        if (Interlocked.Increment(ref _errors) <= 20) ErrorSamples.Enqueue(message);
    }

    /// <summary>
    /// Sends <paramref name="perSecond"/> messages/s for <paramref name="duration"/> on a fixed schedule, round-robin
    /// over conversations and alternating sides (so each conversation is a dialogue). A dedicated thread keeps the
    /// schedule; it sends whatever is due each millisecond. Returns how far behind the schedule it ever fell.
    /// </summary>
    public TimeSpan RunSchedule(double perSecond, TimeSpan duration, CancellationToken ct, long maxInFlight = 50_000)
    {
        var n = _conversations.Length;
        long k = 0;
        var maxLag = 0.0;
        var clock = Stopwatch.StartNew();
        var total = (long)(perSecond * duration.TotalSeconds);
        var thread = new Thread(() =>
        {
            while (k < total && !ct.IsCancellationRequested)
            {
                var due = (long)(clock.Elapsed.TotalSeconds * perSecond) + 1;
                if (due > total) due = total;
                if (k < due)
                {
                    maxLag = Math.Max(maxLag, clock.Elapsed.TotalSeconds - k / perSecond);
                }
                while (k < due && !ct.IsCancellationRequested)
                {
                    if (InFlight >= maxInFlight)
                    {
                        Error($"more than {maxInFlight} sends unanswered: the server is overloaded; stopping this step");
                        return;
                    }
                    var conversation = (int)(k % n);
                    var fromDriver = (k / n) % 2 == 1;
                    _ = SendAsync(conversation, fromDriver, ct);
                    k++;
                }
                Thread.Sleep(1);
            }
        })
        { IsBackground = true, Name = "chat schedule", Priority = ThreadPriority.AboveNormal };
        thread.Start();
        thread.Join();
        return TimeSpan.FromSeconds(maxLag);
    }

    /// <summary>Waits until every send is answered and every acknowledged message reached the other side.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && (InFlight > 0 || Delivered + Duplicates < Acked))
        {
            await Task.Delay(50);
        }
    }

    /// <summary>Counts acknowledged messages that never reached the other side.</summary>
    public long Lost() => _sent.Values.LongCount(r => r.AckId is not null && r.Deliveries == 0);

    /// <summary>
    /// Reads every conversation back over REST: each acknowledged message must be stored exactly once, with the id
    /// its acknowledgement gave. Returns the errors found.
    /// </summary>
    public async Task<List<string>> VerifyStoredAsync(Api api, int parallel = 16)
    {
        var errors = new ConcurrentBag<string>();
        var byConversation = _sent.Where(kv => kv.Value.AckId is not null).GroupBy(kv => kv.Value.Conversation)
            .ToDictionary(g => g.Key, g => g.ToDictionary(kv => kv.Key, kv => kv.Value.AckId!.Value));
        await Parallel.ForEachAsync(byConversation, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (kv, _) =>
        {
            var c = _conversations[kv.Key];
            var stored = await api.WholeChatAsync(c.DispatcherToken, c.OfferId, c.DriverId);
            var counts = stored.Where(m => m.ClientMessageId is not null).GroupBy(m => m.ClientMessageId!)
                .ToDictionary(g => g.Key, g => g.ToList());
            foreach (var (cmid, ackId) in kv.Value)
            {
                if (!counts.TryGetValue(cmid, out var copies))
                {
                    errors.Add($"{cmid} was acknowledged (id {ackId}) but is not stored");
                }
                else if (copies.Count != 1)
                {
                    errors.Add($"{cmid} is stored {copies.Count} times");
                }
                else if (copies[0].Id != ackId)
                {
                    errors.Add($"{cmid} is stored as id {copies[0].Id} but was acknowledged as {ackId}");
                }
            }
        });
        return [.. errors];
    }

    public IEnumerable<(string Cmid, SendRecord Record)> Records => _sent.Select(kv => (kv.Key, kv.Value));

    public sealed class SendRecord(int conversation, bool fromDriver, bool measured, long sentAt)
    {
        public int Conversation { get; } = conversation;
        public bool FromDriver { get; } = fromDriver;
        public bool Measured { get; } = measured;
        public long SentAt { get; } = sentAt;
        public long? AckId { get; set; }
        public long AckedAt { get; set; }
        public bool Failed { get; set; }
        private int _deliveries;
        public int Deliveries => Volatile.Read(ref _deliveries);
        public int CountDelivery() => Interlocked.Increment(ref _deliveries);
    }
}
