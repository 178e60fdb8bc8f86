namespace DriverOffers.Bench;

/// <summary>What every scenario gets: the server (when the bench started it), REST, tokens and the legacy tables.</summary>
public sealed class BenchContext(BenchOptions options, Uri url, ServerProcess? server, Api api, Tokens tokens, LegacyData legacy)
{
    public BenchOptions Options { get; } = options;
    public bool Quick => Options.Quick;
    public Uri Url { get; } = url;
    public ServerProcess? Server { get; } = server;
    public Api Api { get; } = api;
    public Tokens Tokens { get; } = tokens;
    public LegacyData Legacy { get; } = legacy;
    public int? ServerPid => Server?.Pid;

    public ResourceWindow Measure() => new(ServerPid);

    /// <summary>
    /// <paramref name="count"/> conversations, each with its own dispatcher user and its own truck, so a message fans
    /// out to exactly one connection on each side (one dispatcher per conversation, as in a real office).
    /// </summary>
    public async Task<Conversation[]> CreateConversationsAsync(int count, Progress progress)
    {
        var done = 0;
        progress.Phase("setup", () => $"offers {done}/{count}");
        var dispatchers = await Legacy.AddDispatchersAsync(count);
        var trucks = await Legacy.AddTrucksAsync(count);
        var conversations = new Conversation[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var dispatcherToken = Tokens.Dispatcher(dispatchers[i], $"Bench Dispatcher {i}");
            var offerId = await Api.CreateOfferAsync(dispatcherToken, i, [trucks[i]]);
            conversations[i] = new Conversation(i, offerId, dispatchers[i], dispatcherToken, trucks[i], Tokens.Driver(trucks[i], $"Bench Driver {i}"));
            Interlocked.Increment(ref done);
        });
        return conversations;
    }
}

public sealed record Conversation(int Index, int OfferId, int DispatcherId, string DispatcherToken, int DriverId, string DriverToken);
