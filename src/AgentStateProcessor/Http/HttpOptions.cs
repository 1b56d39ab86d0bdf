using AgentStateProcessor.Configuration;

namespace AgentStateProcessor.Http;

/// <summary>The HTTP surface: health, metrics and state queries (configuration section <c>Http</c>).</summary>
internal sealed class HttpOptions : ISelfValidatingOptions
{
    public const string SectionName = "Http";

    /// <summary>The one port every endpoint is served on, on all interfaces; 0 takes any free port.</summary>
    public int Port { get; set; } = 8080;

    public IEnumerable<string> Validate()
    {
        if (Port is < 0 or > 65535) yield return $"Http:Port must be between 0 and 65535 (was {Port})";
    }
}
