using DriverOffers.Server.Features.Presence;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DriverOffers.Server.Realtime;

/// <summary>
/// Scale-out only. Redis not answering is Degraded, not Unhealthy: REST keeps working on every server, and failing
/// readiness on all of them at once (they share the one Redis) would take the whole site out of the load balancer.
/// What does not work meanwhile is said in the description: the backplane must subscribe every new hub connection.
/// </summary>
internal sealed class RedisHealthCheck(RedisPresence redis) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(redis.IsConnected
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("Redis does not answer: new hub connections are refused and presence shows everyone offline until it does."));
}
