using Microsoft.Extensions.Logging.Console;

namespace DriverOffers.Server.Common;

/// <summary>
/// Logging scopes are only recorded when the console prints them (<c>Logging:Console:FormatterOptions:IncludeScopes</c>).
/// Kestrel, Http.Connections and SignalR each open a scope per connection, and the console provider's scope store kept
/// every one (its state, the scope and a copy of the async context) for as long as a hub connection is open: ~0.3 KB per
/// connection that the default console output never shows (docs/decisions/089-connection-memory-sixth-pass.md).
/// </summary>
public static class ConsoleLogScopes
{
    public static void RecordOnlyIfPrinted(IServiceCollection services, IConfiguration config)
    {
        if (config.GetValue<bool>("Logging:Console:FormatterOptions:IncludeScopes") || config.GetValue<bool>("Logging:Console:IncludeScopes"))
        {
            return;
        }
        var console = services.FirstOrDefault(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        if (console is null)
        {
            return;
        }
        services.Remove(console);
        services.AddSingleton<ILoggerProvider>(sp => new WithoutScopes(ActivatorUtilities.CreateInstance<ConsoleLoggerProvider>(sp)));
    }

    /// <summary>The console provider, without telling the logger factory that it takes scopes: the factory then keeps
    /// none, and the console logger's own scope store is the empty one.</summary>
    /// <remarks>Named as the console provider in configuration (<c>Logging:Console:LogLevel</c>).</remarks>
    [ProviderAlias("Console")]
    private sealed class WithoutScopes(ConsoleLoggerProvider console) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => console.CreateLogger(categoryName);

        public void Dispose() => console.Dispose();
    }
}
