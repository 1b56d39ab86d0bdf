namespace AgentStateProcessor.Configuration;

/// <summary>
/// The embedded default (configuration section <c>Embedded</c>), used when Kafka:BootstrapServers
/// is empty: an in-process librdkafka mock cluster fed by a simulated contact center.
/// </summary>
internal sealed class EmbeddedOptions : ISelfValidatingOptions
{
    public const string SectionName = "Embedded";

    public int Brokers { get; set; } = 3;
    /// <summary>Partitions of every topic the embedded cluster creates (the progress topic has one).</summary>
    public int Partitions { get; set; } = 6;
    public int Tenants { get; set; } = 3;
    public int Agents { get; set; } = 300;
    /// <summary>How fast the simulated contact center produces events; 0 produces as fast as it can.</summary>
    public int EventsPerSecond { get; set; } = 2_000;
    public double InvalidShare { get; set; } = 0.02;
    public double UnknownEventShare { get; set; } = 0.01;
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(2);

    public IEnumerable<string> Validate()
    {
        if (Brokers is < 1 or > 9) yield return $"Embedded:Brokers must be between 1 and 9 (was {Brokers})";
        if (Partitions is < 1 or > 64) yield return $"Embedded:Partitions must be between 1 and 64 (was {Partitions})";
        if (Tenants < 1) yield return $"Embedded:Tenants must be at least 1 (was {Tenants})";
        if (Agents < Tenants) yield return $"Embedded:Agents must be at least Embedded:Tenants (was {Agents})";
        if (EventsPerSecond < 0) yield return $"Embedded:EventsPerSecond must not be negative (was {EventsPerSecond})";
        if (InvalidShare is < 0 or > 1) yield return $"Embedded:InvalidShare must be between 0 and 1 (was {InvalidShare})";
        if (UnknownEventShare is < 0 or > 1) yield return $"Embedded:UnknownEventShare must be between 0 and 1 (was {UnknownEventShare})";
        if (ProgressInterval <= TimeSpan.Zero) yield return "Embedded:ProgressInterval must be positive";
    }
}
