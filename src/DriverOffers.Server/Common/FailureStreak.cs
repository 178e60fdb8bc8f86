namespace DriverOffers.Server.Common;

/// <summary>
/// How a background loop (a poller, a sweep, a batched writer) reports work that keeps failing, e.g. while the database
/// is down: the first failure once with its exception, then one short line without the stack every
/// <see cref="RemindEvery"/> failures in a row, and one line when the work succeeds again. A warning with a full stack
/// trace on every tick (several a second across the pollers) buried everything else in the log during an outage.
/// Safe to call from several threads.
/// </summary>
public sealed partial class FailureStreak(ILogger log, string work)
{
    public const int RemindEvery = 10;

    private int _failures;

    /// <summary>The work failed (and will be tried again).</summary>
    public void Failed(Exception error)
    {
        var failures = Interlocked.Increment(ref _failures);
        if (failures == 1)
        {
            FirstFailure(log, error, work);
        }
        else if (failures % RemindEvery == 0)
        {
            StillFailing(log, work, failures, Describe(error));
        }
    }

    /// <summary>The work succeeded: says so once if it had been failing.</summary>
    public void Succeeded()
    {
        if (Volatile.Read(ref _failures) == 0)
        {
            return;
        }
        var failures = Interlocked.Exchange(ref _failures, 0);
        if (failures > 0)
        {
            Recovered(log, work, failures);
        }
    }

    /// <summary>The exception's type and first line, and its innermost cause's: what an operator needs to recognise it.</summary>
    private static string Describe(Exception error)
    {
        var inner = error.GetBaseException();
        var text = $"{error.GetType().Name}: {FirstLine(error.Message)}";
        return ReferenceEquals(inner, error) ? text : $"{text} ({inner.GetType().Name}: {FirstLine(inner.Message)})";
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd('\r');

    [LoggerMessage(LogLevel.Warning, "{Work} failed; retrying. Further failures in a row are summed up without the stack trace.")]
    private static partial void FirstFailure(ILogger logger, Exception exception, string work);

    [LoggerMessage(LogLevel.Warning, "{Work} still failing ({Failures} times in a row): {Error}")]
    private static partial void StillFailing(ILogger logger, string work, int failures, string error);

    [LoggerMessage(LogLevel.Information, "{Work} works again after {Failures} failures in a row.")]
    private static partial void Recovered(ILogger logger, string work, int failures);
}
