using System.Text;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.Simulation;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.Hosting;

/// <summary>The simulated contact center of the embedded default: produces its events into the input topic at a steady rate.</summary>
internal sealed class SimulatorService(
    IOptions<KafkaOptions> kafka,
    IOptions<TopicOptions> topics,
    IOptions<EmbeddedOptions> embedded,
    ILogger<SimulatorService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Produce(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Produce(CancellationToken stoppingToken)
    {
        var options = embedded.Value;
        var simulator = new ContactCenterSimulator(new ContactCenterSimulatorOptions
        {
            TenantCount = options.Tenants,
            AgentCount = options.Agents,
            InvalidShare = options.InvalidShare,
            UnknownEventShare = options.UnknownEventShare,
            StartTime = DateTimeOffset.UtcNow,
            // Paced, the simulated clock keeps to the wall clock, so record timestamps are when the
            // records were produced and the freshness on the progress line means what it says.
            TimeStep = options.EventsPerSecond > 0
                ? TimeSpan.FromTicks(Math.Max(1, TimeSpan.TicksPerSecond / options.EventsPerSecond))
                : new ContactCenterSimulatorOptions().TimeStep,
        });
        using var producer = new ProducerBuilder<byte[]?, byte[]>(KafkaClientConfigs.Simulator(kafka.Value)).Build();
        var pacer = options.EventsPerSecond > 0 ? new RatePacer(options.EventsPerSecond, TimeProvider.System) : null;
        logger.LogInformation("Simulated contact center: {Agents} agents in {Tenants} tenants, {Rate} events/s into {Topic}",
            options.Agents, options.Tenants, options.EventsPerSecond, topics.Value.Input);
        foreach (var record in simulator.Generate())
        {
            if (stoppingToken.IsCancellationRequested) break;
            var message = new Message<byte[]?, byte[]>
            {
                Key = record.Key is null ? null : Encoding.UTF8.GetBytes(record.Key),
                Value = record.Value,
                Timestamp = new Timestamp(record.Timestamp),
            };
            producer.ProduceWhenRoom(topics.Value.Input, message);
            if (pacer?.Next() is { } wait && wait > TimeSpan.Zero)
            {
                stoppingToken.WaitHandle.WaitOne(wait);
            }
        }
        producer.Flush(TimeSpan.FromSeconds(10));
    }
}
