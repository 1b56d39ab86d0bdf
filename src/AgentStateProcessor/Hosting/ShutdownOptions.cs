using AgentStateProcessor.Configuration;

namespace AgentStateProcessor.Hosting;

/// <summary>How the process stops (configuration section <c>Host</c>).</summary>
internal sealed class ShutdownOptions : ISelfValidatingOptions
{
    public const string SectionName = "Host";

    /// <summary>
    /// How long a stop (SIGTERM) may take: the stream thread's last commit and its leaving the
    /// group must fit, and the pod's termination grace period must be longer.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(45);

    public IEnumerable<string> Validate()
    {
        if (ShutdownTimeout < TimeSpan.FromSeconds(1)) yield return $"Host:ShutdownTimeout must be at least 00:00:01 (was {ShutdownTimeout})";
    }
}
