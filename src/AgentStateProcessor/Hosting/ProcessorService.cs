using AgentStateProcessor.Configuration;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.SchemaRegistry;
using AgentStateProcessor.Schemas;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.Hosting;

/// <summary>
/// The service's whole life: provision topics, register snapshot schemas (with a registry), then run the stream
/// thread until the host stops. Any failure it cannot handle stops the host with the reason
/// logged once, so a supervisor restarts it from the committed state.
/// </summary>
internal sealed class ProcessorService(
    IOptions<KafkaOptions> kafka,
    IOptions<TopicOptions> topics,
    IOptions<ProcessingOptions> processing,
    EventSchemaSet schemas,
    TopicProvisioner provisioner,
    PipelineMetrics metrics,
    StreamThreadListener listener,
    IHostApplicationLifetime lifetime,
    ILogger<ProcessorService> logger,
    IOptions<SchemaRegistryOptions> registryOptions,
    ISchemaRegistryClient? registry = null) : BackgroundService
{
    private static readonly TimeSpan TurnInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var layout = await provisioner.EnsureAsync(stoppingToken);
            var registryBackoff = new CappedExponentialBackoff(registryOptions.Value.OutageRetryBackoff, registryOptions.Value.OutageRetryBackoffMax);
            ISnapshotFormat snapshotFormat = registry is null
                ? SingleObjectSnapshotFormat.Instance
                : await RegistrySnapshotFormatAsync(registry, registryBackoff, stoppingToken);
            // A registry that cannot be asked throws out of the decoder: the record is not dead-lettered for it.
            // Waiting for it longer than half the transaction timeout would let the broker abort the open
            // transaction under the stream thread, which fences the producer; the work pauses instead.
            FramedAvroDecoder? framedAvro = registry is null ? null : new RegistryAvroDecoder(registry, kafka.Value.TransactionTimeout / 2).Decode;
            var intake = new EventIntake(schemas, processing.Value.MaxMessageBytes, framedAvro, requireAgentKey: true);
            logger.LogInformation("Processing {Input} as group {Group} with {Guarantee}, snapshots as {Encoding}",
                topics.Value.Input, kafka.Value.GroupId, processing.Value.Guarantee, snapshotFormat.Description);
            using var thread = new StreamThread(kafka.Value, topics.Value, processing.Value, layout, intake, snapshotFormat, registryBackoff,
                metrics, listener, logger);
            // librdkafka calls block: the stream thread gets a thread of its own, not a pool thread.
            await Task.Factory.StartNew(() => thread.Run(stoppingToken), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // One line with the reason; the stack trace only for whoever turns on Debug. Stopping the
            // host here, not by throwing, keeps the host from logging the same failure twice more.
            logger.LogCritical("AgentStateProcessor stops: {Reason}", e.Message);
            logger.LogDebug(e, "Where the failure that stopped AgentStateProcessor was raised");
            metrics.Failure = e;
            listener.Fatal(e.Message);
            lifetime.StopApplication();
        }
    }

    /// <summary>
    /// Registers the snapshot schemas, waiting out a registry that cannot be asked: not ready
    /// meanwhile, and alive, since waiting is what it should be doing.
    /// </summary>
    private async Task<ISnapshotFormat> RegistrySnapshotFormatAsync(ISchemaRegistryClient client, CappedExponentialBackoff backoff, CancellationToken stoppingToken)
    {
        var since = DateTime.UtcNow;
        while (true)
        {
            try
            {
                var format = await Turning(RegistrySnapshotFormat.CreateAsync(client, registryOptions.Value, topics.Value, logger, stoppingToken));
                if (backoff.Failures > 0)
                {
                    logger.LogInformation("The schema registry answers again after {Outage}; starting", DateTime.UtcNow - since);
                    listener.RegistryAvailable();
                    backoff.Reset();
                }
                return format;
            }
            catch (SchemaRegistryUnavailableException e)
            {
                var delay = backoff.Next();
                listener.RegistryUnavailable(e.Message);
                logger.LogWarning("Start-up waits for the schema registry ({Outage} so far): {Reason}; asking again in {Delay} (attempt {Attempt})",
                    DateTime.UtcNow - since, e.Message, delay, backoff.Failures + 1);
                await Turning(Task.Delay(delay, stoppingToken));
            }
        }
    }

    /// <summary>Counts the loop as turning while <paramref name="work"/> runs, so a long wait does not fail liveness.</summary>
    private async Task Turning(Task work)
    {
        while (await Task.WhenAny(work, Task.Delay(TurnInterval)) != work) listener.Turned();
        listener.Turned();
        await work;
    }

    private async Task<T> Turning<T>(Task<T> work)
    {
        await Turning((Task)work);
        return await work;
    }
}
