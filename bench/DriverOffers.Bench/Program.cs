using System.Diagnostics;
using DriverOffers.Bench;
using DriverOffers.Bench.Scenarios;

if (args.Contains("-h") || args.Contains("--help"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var runner = new BenchRunner(options);
var results = await runner.RunAsync();
Report.PrintTable(results, options);
var file = Report.WriteJson(results, options, runner.Machine);
Console.WriteLine($"Results: {file}");

var failures = results.SelectMany(r => r.Errors.Select(e => $"{r.Name}: {e}")).ToList();
if (failures.Count > 0)
{
    Console.Error.WriteLine($"FAILED ({failures.Count} problem{(failures.Count == 1 ? "" : "s")}):");
    foreach (var f in failures.Take(40)) Console.Error.WriteLine("  " + f);
    return 1;
}
Console.WriteLine(options.Quick ? "Smoke run passed: nothing lost, nothing duplicated." : "Run passed: nothing lost, nothing duplicated.");
return 0;

namespace DriverOffers.Bench
{
    /// <summary>Runs the chosen scenarios one after another, each against a fresh server and database.</summary>
    public sealed class BenchRunner(BenchOptions options)
    {
        public MachineInfo Machine { get; } = MachineInfo.Read();

        public async Task<List<ScenarioResult>> RunAsync()
        {
            var results = new List<ScenarioResult>();
            Console.WriteLine($"Driver Offers bench — {(options.Quick ? "quick (smoke)" : "full")} run, provider {options.Provider}, " +
                              $"{Machine.Cores} cores ({Machine.Cpu}), scenarios: {string.Join(", ", options.Scenarios)}");
            foreach (var name in options.Scenarios)
            {
                var result = new ScenarioResult(name);
                var clock = Stopwatch.StartNew();
                try
                {
                    await RunOneAsync(name, result);
                }
                catch (Exception e)
                {
                    result.Errors.Add($"{e.GetType().Name}: {e.Message}");
                }
                result.Seconds = clock.Elapsed.TotalSeconds;
                results.Add(result);
                Console.WriteLine($"  {name}: {result.Seconds:0.0} s, {(result.Errors.Count == 0 ? "ok" : $"{result.Errors.Count} error(s): {result.Errors[0]}")}" +
                                  (result.Host is { } host ? $" ({host})" : ""));
            }
            return results;
        }

        private async Task RunOneAsync(string name, ScenarioResult result)
        {
            using var progress = new Progress(name);
            var secret = options.JwtSecret ?? BenchOptions.DefaultJwtSecret;
            var dir = Path.Combine(Path.GetTempPath(), "driver-offers-bench", $"{name}-{Guid.NewGuid():N}"[..24]);
            Directory.CreateDirectory(dir);
            var connection = options.Connection ?? $"Data Source={Path.Combine(dir, "bench.db")}";
            ServerProcess? server = null;
            try
            {
                progress.Phase("measuring the host");
                result.Host = HostSpeed.Measure(dir, TimeSpan.FromSeconds(options.Quick ? 0.2 : 1));
                Uri url;
                if (options.Url is { } given)
                {
                    url = given;
                }
                else
                {
                    progress.Phase("starting server");
                    server = ServerProcess.Create(options, secret, options.Provider, connection, dir);
                    Directory.CreateDirectory(options.ResultsDir);
                    server.LogFile = Path.Combine(options.ResultsDir, $"server-{name}.log");
                    File.WriteAllText(server.LogFile, "");
                    await server.StartAsync(TimeSpan.FromSeconds(60));
                    url = server.Url;
                }
                using var api = new Api(url);
                var ctx = new BenchContext(options, url, server, api, new Tokens(secret), new LegacyData(options.Provider, connection));
                IScenario scenario = name switch
                {
                    "chat-latency" => new ChatLatency(),
                    "durable-throughput" => new DurableThroughput(),
                    "fan-out" => new FanOut(),
                    "connections" => new Connections(),
                    "reconnect-storm" => new ReconnectStorm(),
                    "ephemeral" => new Ephemeral(),
                    _ => throw new ArgumentException(name),
                };
                await scenario.RunAsync(ctx, progress, result);
                if (server is { Pid: null })
                {
                    result.Errors.Add($"the server died during the run:\n{server.StderrTail()}");
                }
            }
            finally
            {
                if (server is not null)
                {
                    await server.DisposeAsync();
                }
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                if (options.Connection is null)
                {
                    try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
                }
            }
        }
    }
}
