using System.Text.RegularExpressions;
using DriverOffers.Server.Common;
using DriverOffers.Tests.Infrastructure;

namespace DriverOffers.Tests.Hosting;

/// <summary>
/// The real process on its own PostgreSQL, which the test stops and starts again: what an operator's log shows of a
/// database outage from the background pollers.
/// </summary>
public sealed class DatabaseOutageLogTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("driver-offers-outage-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task While_the_database_is_down_a_poller_logs_the_failure_once_with_its_stack_then_short_reminders_then_once_that_it_works_again()
    {
        var database = await PostgresServer.StartOwnAsync();
        try
        {
            await database.ExecuteAsync("CREATE DATABASE outage");
            var env = new Dictionary<string, string>
            {
                ["Database__Provider"] = "postgres",
                ["Database__ConnectionString"] = database.ConnectionString("outage"),
                ["Auth__JwtSecret"] = "outage-secret-outage-secret-outage-secret-0123456789",
                // Ten polls a second, so the outage spans many of them.
                ["Trucks__PollSeconds"] = "0.1",
            };
            await using var server = ServerProcess.StartListening(env, _dir, "--contentRoot", _dir);
            await server.WaitReadyAsync();

            database.Stop();
            const string Work = "Polling Trucks for changes";
            await DriverData.Eventually(() => Count(server.Output, $"{Work} still failing") >= 2,
                "two reminders that polling still fails", 60_000);
            var down = server.Output;
            Assert.Equal(1, Count(down, $"{Work} failed; retrying."));
            // The reminders are one line each: the failure count and the error, no stack trace.
            var reminder = Regex.Match(down, $@"{Work} still failing \((\d+) times in a row\): (.+)");
            Assert.True(reminder.Success, down);
            Assert.Equal(FailureStreak.RemindEvery, int.Parse(reminder.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains("Exception", reminder.Groups[2].Value, StringComparison.Ordinal);
            // Stack traces: at most one per kind of background work that failed (its first failure), not one per tick.
            var firsts = Count(down, "failed; retrying. Further failures in a row are summed up without the stack trace.");
            var traces = StackTraces(down);
            Assert.True(traces >= 1 && traces <= firsts, $"{traces} stack traces for {firsts} first failures:\n{down}");
            // Nor does EF Core add an Error of its own for each connection it could not open (the loops report it): once the
            // outage has settled (a command on a pooled connection the stop broke may fail loudly at first), only reminders.
            var settled = down[down.IndexOf($"{Work} still failing", StringComparison.Ordinal)..];
            Assert.DoesNotContain("fail: Microsoft.EntityFrameworkCore", settled, StringComparison.Ordinal);

            await database.RestartAsync();
            await DriverData.Eventually(() => server.Output.Contains($"{Work} works again after", StringComparison.Ordinal),
                "the line saying polling works again", 60_000);
            await Task.Delay(1000);
            Assert.Equal(1, Count(server.Output, $"{Work} works again after"));
            Assert.Equal(1, Count(server.Output, $"{Work} failed; retrying."));
        }
        finally
        {
            database.Dispose();
        }
    }

    private static int Count(string text, string what) => Regex.Count(text, Regex.Escape(what));

    /// <summary>How many exception printouts (each starts its stack with a first "at" line after a non-"at" line).</summary>
    /// <remarks>An inner exception's Data is printed between its frames and the outer exception's: a PostgresException
    /// (57P01, a pooled connection the stop terminated) adds "Exception data:" and indented SqlState lines there; and a
    /// stack rethrown from another thread (a connection reset mid-read) ends in a blank line before the outer frames.
    /// Both are still the same printout; which one a run gets depends on when the stop lands.</remarks>
    private static int StackTraces(string text)
    {
        var count = 0;
        var inStack = false;
        var inData = false;
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.TrimStart();
            var at = trimmed.StartsWith("at ", StringComparison.Ordinal);
            if (at && !inStack)
            {
                count++;
            }
            inData = trimmed.StartsWith("Exception data:", StringComparison.Ordinal) || (inData && !at && line.StartsWith("    ", StringComparison.Ordinal));
            inStack = at || (inStack && (inData || trimmed.StartsWith("---", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(line)));
        }
        return count;
    }
}
