using AgentStateProcessor.Configuration;

namespace AgentStateProcessor.Health;

/// <summary>When the process counts as alive (configuration section <c>Health</c>).</summary>
internal sealed class HealthOptions : ISelfValidatingOptions
{
    public const string SectionName = "Health";

    /// <summary>
    /// /healthz/live fails when the processing loop has not turned for this long. The loop turns at
    /// least every poll (100 ms) and during restores; a commit may block it up to its 30 s Kafka timeout.
    /// </summary>
    public TimeSpan LivenessStallTimeout { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<string> Validate()
    {
        if (LivenessStallTimeout < TimeSpan.FromSeconds(1))
        {
            yield return $"Health:LivenessStallTimeout must be at least 00:00:01 (was {LivenessStallTimeout})";
        }
    }
}
