using AgentStateProcessor.Configuration;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.Hosting;

/// <summary>
/// Logs throughput, consumer lag, snapshot freshness (p50/p99/max of agent and DN snapshots),
/// agents by state, dead letters and records skipped ahead at a fixed interval.
/// </summary>
internal sealed class ProgressReporter(PipelineMetrics metrics, IOptions<EmbeddedOptions> embedded, ILogger<ProgressReporter> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = embedded.Value.ProgressInterval;
        using var timer = new PeriodicTimer(interval);
        var lastConsumed = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var consumed = metrics.Consumed;
                var agents = metrics.AgentsByState;
                var skippedAhead = metrics.RecordsSkippedAhead;
                // Records lost to retention must not scroll by as one more figure of a normal line.
                logger.Log(skippedAhead > 0 ? LogLevel.Warning : LogLevel.Information,
                    "{Rate,8:F0} records/s | {Consumed} consumed | lag {Lag} | freshness p50/p99/max agents {AgentFreshness}, DNs {DnFreshness} | agents: {Ready} ready, {NotReady} not ready, {LoggedIn} logged in, {LoggedOut} logged out | {DeadLetters} dead letters, {Skipped} skipped, {Duplicates} duplicates | {Snapshots} snapshots | {SkippedAhead} skipped ahead (lost to retention)",
                    (consumed - lastConsumed) / interval.TotalSeconds, consumed, metrics.ConsumerLag,
                    metrics.AgentFreshness.Summary(), metrics.DnFreshness.Summary(),
                    agents.GetValueOrDefault(AgentStatus.Ready), agents.GetValueOrDefault(AgentStatus.NotReady),
                    agents.GetValueOrDefault(AgentStatus.LoggedIn), agents.GetValueOrDefault(AgentStatus.LoggedOut),
                    metrics.DeadLettered, metrics.Skipped, metrics.Duplicates, metrics.SnapshotsWritten, skippedAhead);
                lastConsumed = consumed;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
