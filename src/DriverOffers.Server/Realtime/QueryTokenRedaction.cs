using System.Collections;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// Browsers put the hub token in the URL (<c>?access_token=</c>), and ASP.NET Core's request logging writes URLs
/// with their query string at Information level. Every logger is wrapped so that no log line, message or
/// structured value, ever carries that token, whatever log levels are configured.
/// </summary>
public static partial class QueryTokenRedaction
{
    public static IServiceCollection AddQueryTokenRedaction(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp =>
            new RedactingLoggerFactory(ActivatorUtilities.CreateInstance<LoggerFactory>(sp))));
        return services;
    }

    [GeneratedRegex("(access_token=)[^&\\s\"'#]*", RegexOptions.IgnoreCase)]
    private static partial Regex TokenInQuery();

    public static bool HasToken(string? text) => text?.Contains("access_token=", StringComparison.OrdinalIgnoreCase) == true;

    public static string Redact(string text) => TokenInQuery().Replace(text, "$1[redacted]");

    private sealed class RedactingLoggerFactory(LoggerFactory inner) : ILoggerFactory
    {
        // Authentication handlers ask for their logger on every request; one wrapper per category, like LoggerFactory.
        private readonly ConcurrentDictionary<string, RedactingLogger> _loggers = new(StringComparer.Ordinal);

        public ILogger CreateLogger(string categoryName) =>
            _loggers.GetOrAdd(categoryName, static (name, f) => new RedactingLogger(f.CreateLogger(name)), inner);
        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);
        public void Dispose() => inner.Dispose();
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }
            var message = formatter(state, exception);
            var values = state as IEnumerable<KeyValuePair<string, object?>>;
            if (!HasToken(message) && (values is null || !values.Any(v => HasToken(v.Value?.ToString()))))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }
            var redacted = new RedactedState(Redact(message),
                values?.Select(v => new KeyValuePair<string, object?>(v.Key, v.Value is null ? null : Redact(v.Value.ToString() ?? ""))).ToList() ?? []);
            inner.Log(logLevel, eventId, redacted, exception, (s, _) => s.Message);
        }
    }

    private sealed class RedactedState(string message, List<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;
        public KeyValuePair<string, object?> this[int index] => values[index];
        public int Count => values.Count;
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        public override string ToString() => Message;
    }
}
