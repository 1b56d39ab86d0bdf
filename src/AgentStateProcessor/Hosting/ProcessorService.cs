using AgentStateProcessor.Avro;
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
    SchemaRegistryClient? registry = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var layout = await provisioner.EnsureAsync(stoppingToken);
            var schemaIds = await RegisterSnapshotSchemasAsync(stoppingToken);
            var intake = new EventIntake(schemas, processing.Value.MaxMessageBytes, WriterSchemaResolver(stoppingToken), requireAgentKey: true);
            logger.LogInformation("Processing {Input} as group {Group} with {Guarantee}, snapshots as {Encoding}",
                topics.Value.Input, kafka.Value.GroupId, processing.Value.Guarantee,
                registry is null ? "Avro single-object encoding" : "Confluent wire format");
            using var thread = new StreamThread(kafka.Value, topics.Value, processing.Value, layout, intake, schemaIds, metrics, listener, logger);
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

    private async Task<SnapshotSchemaIds> RegisterSnapshotSchemasAsync(CancellationToken cancellationToken)
    {
        if (registry is null) return new SnapshotSchemaIds(null, null);
        var agent = await registry.RegisterAsync(SchemaRegistryClient.SubjectNameFor(topics.Value.AgentSnapshots), SnapshotSchemas.Agent.ToString(), cancellationToken);
        var dn = await registry.RegisterAsync(SchemaRegistryClient.SubjectNameFor(topics.Value.DnSnapshots), SnapshotSchemas.Dn.ToString(), cancellationToken);
        logger.LogInformation("Registered snapshot schemas: agent id {AgentSchemaId}, DN id {DnSchemaId}", agent, dn);
        return new SnapshotSchemaIds(agent, dn);
    }

    /// <summary>
    /// Writer schemas of Confluent-framed input. The stream thread is synchronous; a lookup blocks
    /// it once per schema id. An id the registry does not know makes a dead letter; a registry that
    /// cannot be reached stops the service rather than dead-lettering good records.
    /// </summary>
    private Func<int, AvroSchema?>? WriterSchemaResolver(CancellationToken cancellationToken)
    {
        if (registry is null) return null;
        var reader = new ConfluentAvroReader(registry);
        return id =>
        {
            if (reader.CachedWriterSchema(id) is { } cached) return cached;
            try
            {
                return reader.GetWriterSchemaAsync(id, cancellationToken).AsTask().GetAwaiter().GetResult();
            }
            catch (SchemaRegistryException e) when (e.IsSchemaNotFound)
            {
                return null;
            }
        };
    }
}
