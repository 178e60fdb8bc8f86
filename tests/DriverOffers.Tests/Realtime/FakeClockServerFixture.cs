using DriverOffers.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace DriverOffers.Tests.Realtime;

/// <summary>
/// The real server with a clock the test moves by hand, so typing throttle/expiry and presence timeouts are exact.
/// Presence times out after 2 s here; the call-rate limit is lifted (its bucket would never refill on a frozen clock).
/// </summary>
public sealed class FakeClockServerFixture : ServerFixture
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Presence:TimeoutSeconds"] = "2",
        ["Realtime:CallBurst"] = "100000",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}
