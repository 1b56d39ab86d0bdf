using AgentStateProcessor.Configuration;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.Hosting;

/// <summary>Logs throughput, agents by state and dead letters at a fixed interval.</summary>
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
                logger.LogInformation(
                    "{Rate,8:F0} records/s | {Consumed} consumed | agents: {Ready} ready, {NotReady} not ready, {LoggedIn} logged in, {LoggedOut} logged out | {DeadLetters} dead letters, {Skipped} skipped, {Duplicates} duplicates | {Snapshots} snapshots",
                    (consumed - lastConsumed) / interval.TotalSeconds, consumed,
                    agents.GetValueOrDefault(AgentStatus.Ready), agents.GetValueOrDefault(AgentStatus.NotReady),
                    agents.GetValueOrDefault(AgentStatus.LoggedIn), agents.GetValueOrDefault(AgentStatus.LoggedOut),
                    metrics.DeadLettered, metrics.Skipped, metrics.Duplicates, metrics.SnapshotsWritten);
                lastConsumed = consumed;
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
