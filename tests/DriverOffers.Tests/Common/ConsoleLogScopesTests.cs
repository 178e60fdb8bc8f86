using DriverOffers.Server.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace DriverOffers.Tests.Common;

public sealed class ConsoleLogScopesTests
{
    private static ServiceProvider Logging(Dictionary<string, string?> settings)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.AddConfiguration(config.GetSection("Logging"));
            b.AddConsole();
        });
        ConsoleLogScopes.RecordOnlyIfPrinted(services, config);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Without_printed_scopes_the_console_logs_but_takes_no_scope_store_and_keeps_its_configured_levels()
    {
        using var sp = Logging(new() { ["Logging:Console:LogLevel:Default"] = "Error" });

        var providers = sp.GetServices<ILoggerProvider>().ToList();
        Assert.Single(providers);
        Assert.IsNotType<ConsoleLoggerProvider>(providers[0]);
        Assert.False(providers[0] is ISupportExternalScope);
        var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("test");
        Assert.True(logger.IsEnabled(LogLevel.Error));
        Assert.False(logger.IsEnabled(LogLevel.Warning));
    }

    [Theory]
    [InlineData("Logging:Console:FormatterOptions:IncludeScopes")]
    [InlineData("Logging:Console:IncludeScopes")]
    public void With_printed_scopes_the_console_provider_is_left_as_it_is(string setting)
    {
        using var sp = Logging(new() { [setting] = "true" });

        Assert.IsType<ConsoleLoggerProvider>(Assert.Single(sp.GetServices<ILoggerProvider>()));
    }
}
