using AgentStateProcessor.Configuration;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.SchemaRegistry;
using AgentStateProcessor.Schemas;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.Hosting;

internal static class HostingExtensions
{
    /// <summary>
    /// Wires the processor. Without Kafka:BootstrapServers it first starts the embedded default:
    /// a mock cluster in this process, its topics, and a simulated contact center feeding it.
    /// </summary>
    public static IHostApplicationBuilder AddAgentStateProcessor(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        AddValidatedOptions<KafkaOptions>(builder, KafkaOptions.SectionName);
        AddValidatedOptions<TopicOptions>(builder, TopicOptions.SectionName);
        AddValidatedOptions<ProcessingOptions>(builder, ProcessingOptions.SectionName);
        AddValidatedOptions<SchemaRegistryOptions>(builder, SchemaRegistryOptions.SectionName);
        builder.AddOperations();
        services.AddSingleton(_ => EventSchemaSet.LoadEmbedded());
        services.AddSingleton<PipelineMetrics>();
        services.AddSingleton(sp => new TopicProvisioner(
            sp.GetRequiredService<IOptions<KafkaOptions>>().Value,
            sp.GetRequiredService<IOptions<TopicOptions>>().Value,
            sp.GetRequiredService<ILogger<TopicProvisioner>>()));
        if (builder.Configuration.GetSection(SchemaRegistryOptions.SectionName)["Url"] is { Length: > 0 })
        {
            // One client for the whole process: it caches schemas and ids for serializer and deserializer alike.
            services.AddSingleton<ISchemaRegistryClient>(sp =>
                SchemaRegistryClientFactory.Create(sp.GetRequiredService<IOptions<SchemaRegistryOptions>>().Value));
        }
        services.AddHostedService<ProcessorService>();

        if (string.IsNullOrWhiteSpace(builder.Configuration[$"{KafkaOptions.SectionName}:BootstrapServers"]))
        {
            builder.AddEmbeddedDefault();
        }
        return builder;
    }

    private static void AddEmbeddedDefault(this IHostApplicationBuilder builder)
    {
        builder.AddSimulatedContactCenter();
        var embedded = builder.Configuration.GetSection(EmbeddedOptions.SectionName).Get<EmbeddedOptions>() ?? new EmbeddedOptions();
        var problems = ((ISelfValidatingOptions)embedded).Validate().ToList();
        if (problems.Count > 0) throw new OptionsValidationException(EmbeddedOptions.SectionName, typeof(EmbeddedOptions), problems);
        var topics = builder.Configuration.GetSection(TopicOptions.SectionName).Get<TopicOptions>() ?? new TopicOptions();

        var cluster = MockKafkaCluster.Start(embedded.Brokers);
        CreateProcessorTopics(cluster, topics, embedded.Partitions);
        builder.Configuration.AddInMemoryCollection(MockClusterClientSettings(cluster.BootstrapServers));
        builder.Services.AddSingleton(cluster);
    }

    /// <summary>The embedded default's simulated contact center (<see cref="EmbeddedOptions"/>) and its progress line.</summary>
    internal static void AddSimulatedContactCenter(this IHostApplicationBuilder builder)
    {
        AddValidatedOptions<EmbeddedOptions>(builder, EmbeddedOptions.SectionName);
        builder.Services.AddHostedService<SimulatorService>();
        builder.Services.AddHostedService<ProgressReporter>();
    }

    /// <summary>The Kafka settings of a processor whose brokers are a mock cluster at <paramref name="bootstrapServers"/>.</summary>
    internal static KeyValuePair<string, string?>[] MockClusterClientSettings(string bootstrapServers) =>
    [
        new($"{KafkaOptions.SectionName}:BootstrapServers", bootstrapServers),
        // The mock holds an empty fetch for the whole wait; see KafkaOptions.FetchWaitMax.
        new($"{KafkaOptions.SectionName}:FetchWaitMax", "00:00:00.010"),
    ];

    /// <summary>
    /// The processor's topics on a mock cluster, which cannot create them through the Admin API: every topic with
    /// <paramref name="partitions"/>, the progress topic with one.
    /// </summary>
    internal static void CreateProcessorTopics(MockKafkaCluster cluster, TopicOptions topics, int partitions)
    {
        foreach (var topic in new[] { topics.Input, topics.AgentSnapshots, topics.DnSnapshots, topics.AgentStateChanges, topics.DnRepartition, topics.DeadLetters })
        {
            cluster.CreateTopic(topic, partitions);
        }
        cluster.CreateTopic(topics.Progress, 1);
    }

    /// <summary>Binds and validates a section at start-up; a value that cannot be read as its type stops the wiring at once.</summary>
    internal static void AddValidatedOptions<TOptions>(IHostApplicationBuilder builder, string section)
        where TOptions : class, ISelfValidatingOptions, new()
    {
        ConfigurationValueCheck.ThrowIfUnreadable<TOptions>(builder.Configuration, section);
        builder.Services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TOptions>, SelfValidatingOptionsValidator<TOptions>>();
    }
}
