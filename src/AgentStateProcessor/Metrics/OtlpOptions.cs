using AgentStateProcessor.Configuration;

namespace AgentStateProcessor.Metrics;

internal enum OtlpProtocol { Grpc, HttpProtobuf }

/// <summary>
/// Optional push of the processor's instruments to an OpenTelemetry collector (configuration
/// section <c>Otlp</c>), beside /metrics. Off without <see cref="Endpoint"/>.
/// </summary>
internal sealed class OtlpOptions : ISelfValidatingOptions
{
    public const string SectionName = "Otlp";

    /// <summary>The collector, e.g. <c>http://otel-collector:4317</c> (gRPC) or <c>http://otel-collector:4318/v1/metrics</c> (HTTP).</summary>
    public Uri? Endpoint { get; set; }
    public OtlpProtocol Protocol { get; set; } = OtlpProtocol.Grpc;
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(15);

    public IEnumerable<string> Validate()
    {
        if (Endpoint is { IsAbsoluteUri: false } || Endpoint is { Scheme: not ("http" or "https") })
        {
            yield return $"Otlp:Endpoint must be an absolute http(s) URL (was '{Endpoint}')";
        }
        if (ExportInterval < TimeSpan.FromMilliseconds(100) || ExportInterval > TimeSpan.FromHours(1))
        {
            yield return $"Otlp:ExportInterval must be between 00:00:00.100 and 01:00:00 (was {ExportInterval})";
        }
    }
}
