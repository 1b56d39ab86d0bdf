using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.Health;

/// <summary>
/// /healthz/live: the processing loop turns and nothing fatal happened. A rebalance or a restore keeps it turning.
/// A failure is logged here, because the health check service's own log of every unhealthy probe is
/// off (appsettings.json): it would log each not-ready answer of a starting or rebalancing instance
/// as an error, while a failed liveness probe is what gets the pod restarted, and its reason belongs in
/// the last log lines.
/// </summary>
internal sealed class LivenessCheck(ProcessorHealth health, IOptions<HealthOptions> options, ILogger<LivenessCheck> logger) : IHealthCheck
{
    public const string Tag = "live";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stall = options.Value.LivenessStallTimeout;
        var since = health.SinceLastTurn;
        var result = health.FatalReason is { } fatal ? HealthCheckResult.Unhealthy($"fatal: {fatal}")
            : since > stall ? HealthCheckResult.Unhealthy($"the processing loop has not turned for {since:c} (Health:LivenessStallTimeout {stall:c})")
            : HealthCheckResult.Healthy();
        if (result.Status == HealthStatus.Unhealthy) logger.LogError("Liveness probe fails: {Reason}", result.Description);
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
