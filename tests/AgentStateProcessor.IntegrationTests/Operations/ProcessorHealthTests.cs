using AgentStateProcessor.Health;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentStateProcessor.IntegrationTests.Operations;

/// <summary>What the probes decide from the stream thread's reports, one situation per test.</summary>
public sealed class ProcessorHealthTests
{
    private static readonly TopicPartition Input0 = new("in", 0);
    private static readonly TopicPartition Repartition0 = new("dn-repartition", 0);

    [Fact]
    public void Not_ready_until_the_producer_is_initialised_and_partitions_are_assigned_and_restored()
    {
        var health = new ProcessorHealth(new ManualClock());
        Assert.Contains("producer", health.NotReadyReason());

        health.ProducerInitialised();
        Assert.Equal("no partitions assigned", health.NotReadyReason());

        health.Restoring();
        Assert.Contains("restoring", health.NotReadyReason());

        health.Assigned([Input0, Repartition0]);
        Assert.Null(health.NotReadyReason());
    }

    [Fact]
    public void Not_ready_again_when_every_partition_is_revoked_or_lost()
    {
        var health = new ProcessorHealth(new ManualClock());
        health.ProducerInitialised();
        health.Assigned([Input0, Repartition0]);

        health.Revoked([Input0]);
        Assert.Null(health.NotReadyReason());
        health.Revoked([Repartition0]);
        Assert.Equal("no partitions assigned", health.NotReadyReason());
    }

    [Fact]
    public void Not_ready_while_work_waits_for_the_schema_registry_with_a_reason_naming_it_and_ready_once_it_answers()
    {
        var health = new ProcessorHealth(new ManualClock());
        health.ProducerInitialised();
        health.Assigned([Input0]);

        health.RegistryUnavailable("The schema registry could not be reached while fetching the writer schema of id 7");
        Assert.Contains("schema registry", health.NotReadyReason());
        Assert.Contains("id 7", health.NotReadyReason());

        health.RegistryAvailable();
        Assert.Null(health.NotReadyReason());
    }

    [Fact]
    public async Task Live_while_the_loop_turns_and_dead_once_it_stalled_longer_than_the_stall_timeout()
    {
        var clock = new ManualClock();
        var health = new ProcessorHealth(clock);
        using var logs = new CapturedLogs();
        using var loggers = new LoggerFactory([logs]);
        var check = new LivenessCheck(health, Options.Create(new HealthOptions { LivenessStallTimeout = TimeSpan.FromSeconds(60) }), loggers.CreateLogger<LivenessCheck>());

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        health.Turned();
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        clock.Advance(TimeSpan.FromSeconds(2));
        var stalled = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, stalled.Status);
        Assert.Contains("Health:LivenessStallTimeout", stalled.Description);
        // The failure that gets the pod restarted is in its last log lines; the healthy answers are not logged.
        var logged = Assert.Single(logs.Entries);
        Assert.Equal(LogLevel.Error, logged.Level);
        Assert.Contains(stalled.Description!, logged.Message);
    }

    [Fact]
    public async Task A_fatal_error_fails_liveness_and_readiness_even_while_the_loop_turns()
    {
        var health = new ProcessorHealth(new ManualClock());
        health.ProducerInitialised();
        health.Assigned([Input0]);
        using var logs = new CapturedLogs();
        using var loggers = new LoggerFactory([logs]);
        var check = new LivenessCheck(health, Options.Create(new HealthOptions()), loggers.CreateLogger<LivenessCheck>());

        health.Fatal("Kafka producer fatal error Local_Fenced: fenced");
        health.Turned();

        var live = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, live.Status);
        Assert.Contains("Local_Fenced", live.Description);
        Assert.Contains("Local_Fenced", health.NotReadyReason());
        // The stop that the fatal error causes logs its reason, once; the probe does not repeat it.
        Assert.Empty(logs.Entries);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
