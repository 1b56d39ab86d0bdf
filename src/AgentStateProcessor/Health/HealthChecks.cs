using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.Health;

/// <summary>/healthz/live: the processing loop turns and nothing fatal happened. A rebalance or a restore keeps it turning.</summary>
internal sealed class LivenessCheck(ProcessorHealth health, IOptions<HealthOptions> options) : IHealthCheck
{
    public const string Tag = "live";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stall = options.Value.LivenessStallTimeout;
        var since = health.SinceLastTurn;
        var result = health.FatalReason is { } fatal ? HealthCheckResult.Unhealthy($"fatal: {fatal}")
            : since > stall ? HealthCheckResult.Unhealthy($"the processing loop has not turned for {since:c} (Health:LivenessStallTimeout {stall:c})")
            : HealthCheckResult.Healthy();
        return Task.FromResult(result);
    }
}

/// <summary>/healthz/ready: partitions assigned and restored, producer initialised.</summary>
internal sealed class ReadinessCheck(ProcessorHealth health) : IHealthCheck
{
    public const string Tag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(health.NotReadyReason() is { } reason
            ? HealthCheckResult.Unhealthy(reason)
            : HealthCheckResult.Healthy($"{health.AssignedCount} partitions assigned and restored"));
}
