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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var layout = await provisioner.EnsureAsync(stoppingToken);
            ISnapshotFormat snapshotFormat = registry is null
                ? SingleObjectSnapshotFormat.Instance
                : await RegistrySnapshotFormat.CreateAsync(registry, registryOptions.Value, topics.Value, logger, stoppingToken);
            // A registry that cannot be asked throws out of the decoder: the record is not dead-lettered for it.
            FramedAvroDecoder? framedAvro = registry is null ? null : new RegistryAvroDecoder(registry).Decode;
            var intake = new EventIntake(schemas, processing.Value.MaxMessageBytes, framedAvro, requireAgentKey: true);
            logger.LogInformation("Processing {Input} as group {Group} with {Guarantee}, snapshots as {Encoding}",
                topics.Value.Input, kafka.Value.GroupId, processing.Value.Guarantee, snapshotFormat.Description);
            using var thread = new StreamThread(kafka.Value, topics.Value, processing.Value, layout, intake, snapshotFormat, metrics, listener, logger);
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
}
