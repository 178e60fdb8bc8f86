namespace DriverOffers.Bench;

/// <summary>Command line: <c>[--quick] [--scenario NAME|all] [--url URL] [--provider sqlite|mysql|postgres --connection "..."]</c>.</summary>
public sealed record BenchOptions(
    bool Quick, IReadOnlyList<string> Scenarios, Uri? Url, string Provider, string? Connection, string? ServerDll,
    string? JwtSecret, string ResultsDir, string? Note, int? Connections = null, IReadOnlyList<string>? ServerEnv = null)
{
    public const string DefaultJwtSecret = "bench-secret-bench-secret-bench-secret-0123456789";

    public static readonly string[] AllScenarios =
        ["chat-latency", "durable-throughput", "fan-out", "connections", "reconnect-storm", "ephemeral"];

    public const string Usage = """
        DriverOffers.Bench — load scenarios against a real Driver Offers server (loopback only).

          dotnet run --project bench/DriverOffers.Bench -c Release -- [options]

          --quick                  every scenario small (about a minute in all); the smoke test in ./test.sh
          --scenario NAME|all      one of: chat-latency, durable-throughput, fan-out, connections, reconnect-storm,
                                   ephemeral; repeatable or comma-separated (default: all)
          --provider NAME          sqlite (default, a fresh temp file), mysql or postgres
          --connection "..."       ADO.NET connection string for mysql/postgres; the bench empties the
                                   database's product tables and fills users/Trucks itself
          --url URL                target a running server instead of starting one (it must share the bench's
                                   database and --jwt-secret; reconnect-storm is skipped)
          --jwt-secret SECRET      secret of the server behind --url
          --server-dll PATH        server build to start (default: src/DriverOffers.Server/bin/Release/net10.0)
          --results DIR            where the JSON goes (default: bench/results)
          --note TEXT              free text stored in the JSON (e.g. "machine shared with other builds")
          --server-env NAME=VALUE  extra environment for the started server (repeatable), e.g. DOTNET_gcServer=0
          --connections N          idle connections in the connections scenario (default 10,000; quick 300)
        """;

    public static BenchOptions Parse(string[] args)
    {
        var quick = false;
        var scenarios = new List<string>();
        Uri? url = null;
        string provider = "sqlite";
        string? connection = null, dll = null, secret = null, note = null;
        int? connections = null;
        var serverEnv = new List<string>();
        var results = Path.Combine(RepoRoot(), "bench", "results");
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--scenario": scenarios.AddRange(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                case "--url": url = new Uri(Next()); break;
                case "--provider": provider = Next().ToLowerInvariant(); break;
                case "--connection": connection = Next(); break;
                case "--server-dll": dll = Next(); break;
                case "--jwt-secret": secret = Next(); break;
                case "--results": results = Next(); break;
                case "--note": note = Next(); break;
                case "--server-env": serverEnv.Add(Next()); break;
                case "--connections": connections = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }
        if (scenarios.Count == 0 || scenarios.Contains("all"))
        {
            scenarios = [.. AllScenarios];
        }
        foreach (var s in scenarios.Where(s => !AllScenarios.Contains(s)))
        {
            throw new ArgumentException($"Unknown scenario '{s}'; use one of {string.Join(", ", AllScenarios)} or all.");
        }
        if (provider is not ("sqlite" or "mysql" or "postgres"))
        {
            throw new ArgumentException("--provider must be sqlite, mysql or postgres.");
        }
        if (provider != "sqlite" && string.IsNullOrWhiteSpace(connection))
        {
            throw new ArgumentException($"--provider {provider} needs --connection \"...\".");
        }
        if (url is not null && !url.IsLoopback)
        {
            throw new ArgumentException("--url must be a loopback address: the bench never sends load off this machine.");
        }
        if (url is not null && provider == "sqlite" && connection is null)
        {
            throw new ArgumentException("--url needs --connection to the server's database (the bench sets up users and trucks there).");
        }
        if (connections is < 1 or > 15_000)
        {
            throw new ArgumentException("--connections must be 1..15000 (the bench's own file descriptor limit).");
        }
        return new BenchOptions(quick, scenarios, url, provider, connection, dll, secret, results, note, connections, serverEnv);
    }

    /// <summary>The repository root: the first parent holding DriverOffers.slnx (works from bin/ and from the repo).</summary>
    public static string RepoRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "DriverOffers.slnx")))
                {
                    return dir.FullName;
                }
            }
        }
        return Directory.GetCurrentDirectory();
    }
}
