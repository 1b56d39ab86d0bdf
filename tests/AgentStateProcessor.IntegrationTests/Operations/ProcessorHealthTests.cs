using AgentStateProcessor.Health;
using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
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
    public async Task Live_while_the_loop_turns_and_dead_once_it_stalled_longer_than_the_stall_timeout()
    {
        var clock = new ManualClock();
        var health = new ProcessorHealth(clock);
        var check = new LivenessCheck(health, Options.Create(new HealthOptions { LivenessStallTimeout = TimeSpan.FromSeconds(60) }));

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        health.Turned();
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);

        clock.Advance(TimeSpan.FromSeconds(2));
        var stalled = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, stalled.Status);
        Assert.Contains("Health:LivenessStallTimeout", stalled.Description);
    }

    [Fact]
    public async Task A_fatal_error_fails_liveness_and_readiness_even_while_the_loop_turns()
    {
        var health = new ProcessorHealth(new ManualClock());
        health.ProducerInitialised();
        health.Assigned([Input0]);
        var check = new LivenessCheck(health, Options.Create(new HealthOptions()));

        health.Fatal("Kafka producer fatal error Local_Fenced: fenced");
        health.Turned();

        var live = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, live.Status);
        Assert.Contains("Local_Fenced", live.Description);
        Assert.Contains("Local_Fenced", health.NotReadyReason());
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
