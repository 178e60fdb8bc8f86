using DriverOffers.Server.Realtime;
using Microsoft.Extensions.Time.Testing;

namespace DriverOffers.Tests.Realtime;

public sealed class TokenBucketTests
{
    [Fact]
    public void A_burst_of_twenty_then_five_per_second()
    {
        var clock = new FakeTimeProvider();
        var bucket = new TokenBucket(20, 5, clock);

        Assert.All(Enumerable.Range(0, 20), i => Assert.True(bucket.TryTake(out var _)));
        Assert.False(bucket.TryTake(out var retry));
        Assert.Equal(TimeSpan.FromMilliseconds(200), retry);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.All(Enumerable.Range(0, 5), i => Assert.True(bucket.TryTake(out var _)));
        Assert.False(bucket.TryTake(out _));

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(20, Enumerable.Range(0, 30).Count(i => bucket.TryTake(out var _)));
    }
}
