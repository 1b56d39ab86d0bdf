using AgentStateProcessor.Configuration;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.SchemaRegistry;
using AgentStateProcessor.Schemas;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.Hosting;

/// <summary>
/// The service's whole life: provision topics, register snapshot schemas, then run the stream
/// thread until the host stops. Any failure it cannot handle stops the host with the reason
/// logged, so a supervisor restarts it from the committed state.
/// </summary>
internal sealed class ProcessorService(
    IOptions<KafkaOptions> kafka,
    IOptions<TopicOptions> topics,
    IOptions<ProcessingOptions> processing,
    EventSchemaSet schemas,
    TopicProvisioner provisioner,
    PipelineMetrics metrics,
    ILogger<ProcessorService> logger,
    SchemaRegistryClient? registry = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var layout = await provisioner.EnsureAsync(stoppingToken);
            var schemaIds = await RegisterSnapshotSchemasAsync(stoppingToken);
            var intake = new EventIntake(schemas, processing.Value.MaxMessageBytes, FramedAvroDecoder(stoppingToken), requireAgentKey: true);
            logger.LogInformation("Processing {Input} as group {Group} with {Guarantee}, snapshots as {Encoding}",
                topics.Value.Input, kafka.Value.GroupId, processing.Value.Guarantee,
                registry is null ? "Avro single-object encoding" : "Confluent wire format");
            using var thread = new StreamThread(kafka.Value, topics.Value, processing.Value, layout, intake, schemaIds, metrics, logger);
            // librdkafka calls block: the stream thread gets a thread of its own, not a pool thread.
            await Task.Factory.StartNew(() => thread.Run(stoppingToken), CancellationToken.None,
                TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogCritical(e, "AgentStateProcessor stops: {Reason}", e.Message);
            metrics.Failure = e;
            throw;
        }
    }

    private async Task<SnapshotSchemaIds> RegisterSnapshotSchemasAsync(CancellationToken cancellationToken)
    {
        if (registry is null) return new SnapshotSchemaIds(null, null);
        var agent = await registry.RegisterAsync(SchemaRegistryClient.SubjectNameFor(topics.Value.AgentSnapshots), SnapshotSchemas.AgentJson, cancellationToken);
        var dn = await registry.RegisterAsync(SchemaRegistryClient.SubjectNameFor(topics.Value.DnSnapshots), SnapshotSchemas.DnJson, cancellationToken);
        logger.LogInformation("Registered snapshot schemas: agent id {AgentSchemaId}, DN id {DnSchemaId}", agent, dn);
        return new SnapshotSchemaIds(agent, dn);
    }

    /// <summary>
    /// Decodes Confluent-framed input with the writer schema from the registry. The stream thread
    /// is synchronous; a lookup blocks it once per schema id. An id the registry does not know
    /// makes a dead letter; a registry that cannot be reached stops the service rather than
    /// dead-lettering good records.
    /// </summary>
    private FramedAvroDecoder? FramedAvroDecoder(CancellationToken cancellationToken) =>
        registry is null ? null : new RegistryAvroDecoder(registry, cancellationToken).Decode;
}
