namespace AgentStateProcessor.Simulation;

internal sealed record ContactCenterSimulatorOptions
{
    public int TenantCount { get; init; } = 3;

    /// <summary>Agents across all tenants, dealt round-robin to the tenants.</summary>
    public int AgentCount { get; init; } = 300;

    public int QueuesPerTenant { get; init; } = 4;

    /// <summary>Share of records that must be dead-lettered.</summary>
    public double InvalidShare { get; init; } = 0.02;

    /// <summary>Share of records the processor skips: extension events without a state rule, or events no table describes.</summary>
    public double UnknownEventShare { get; init; } = 0.01;

    public DateTimeOffset StartTime { get; init; } = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Simulated time between consecutive records. Kafka timestamps have millisecond precision: with a
    /// shorter step, consecutive records can share one.
    /// </summary>
    public TimeSpan TimeStep { get; init; } = TimeSpan.FromMilliseconds(10);

    public int Seed { get; init; } = 1;

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(TenantCount, 1, nameof(TenantCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(AgentCount, TenantCount, nameof(AgentCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(QueuesPerTenant, 1, nameof(QueuesPerTenant));
        ArgumentOutOfRangeException.ThrowIfNegative(InvalidShare, nameof(InvalidShare));
        ArgumentOutOfRangeException.ThrowIfNegative(UnknownEventShare, nameof(UnknownEventShare));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(InvalidShare + UnknownEventShare, 1.0, "InvalidShare + UnknownEventShare");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TimeStep, TimeSpan.Zero, nameof(TimeStep));
    }
}
