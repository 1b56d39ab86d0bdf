using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.Health;

/// <summary>
/// /healthz/live: the processing loop turns and nothing fatal happened. A rebalance or a restore keeps it turning.
/// A stall is logged here, because the health check service's own log of every unhealthy probe is off
/// (appsettings.json: it would log each not-ready answer of a starting or rebalancing instance as an
/// error); a failed liveness probe gets the pod restarted, and its reason belongs in the last log lines.
/// A fatal reason is not: the stop it causes has logged it once already.
/// </summary>
internal sealed class LivenessCheck(ProcessorHealth health, IOptions<HealthOptions> options, ILogger<LivenessCheck> logger) : IHealthCheck
{
    public const string Tag = "live";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stall = options.Value.LivenessStallTimeout;
        var since = health.SinceLastTurn;
        if (health.FatalReason is { } fatal) return Task.FromResult(HealthCheckResult.Unhealthy($"fatal: {fatal}"));
        if (since <= stall) return Task.FromResult(HealthCheckResult.Healthy());
        var stalled = $"the processing loop has not turned for {since:c} (Health:LivenessStallTimeout {stall:c})";
        logger.LogError("Liveness probe fails: {Reason}", stalled);
        return Task.FromResult(HealthCheckResult.Unhealthy(stalled));
    }
}

/// <summary>/healthz/ready: partitions assigned and restored, producer initialised, no work waiting for the schema registry.</summary>
internal sealed class ReadinessCheck(ProcessorHealth health) : IHealthCheck
{
    public const string Tag = "ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(health.NotReadyReason() is { } reason
            ? HealthCheckResult.Unhealthy(reason)
            : HealthCheckResult.Healthy($"{health.AssignedCount} partitions assigned and restored"));
}
