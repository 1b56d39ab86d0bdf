using AgentStateProcessor.Health;
using AgentStateProcessor.Http;
using AgentStateProcessor.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace AgentStateProcessor.Hosting;

internal static class OperationsExtensions
{
    /// <summary>What the stream thread reports to (health, instruments, query view), and how the process stops.</summary>
    public static IHostApplicationBuilder AddOperations(this IHostApplicationBuilder builder)
    {
        HostingExtensions.AddValidatedOptions<ShutdownOptions>(builder, ShutdownOptions.SectionName);
        HostingExtensions.AddValidatedOptions<HealthOptions>(builder, HealthOptions.SectionName);
        HostingExtensions.AddValidatedOptions<HttpOptions>(builder, HttpOptions.SectionName);
        var services = builder.Services;
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
        {
            // Committing on SIGTERM and leaving the group must have time to finish before the host gives up on the service.
            host.ShutdownTimeout = shutdown.Value.ShutdownTimeout;
            // The processor service logs its own failure once and stops the host itself; any other
            // service that fails stops the host too, so a supervisor restarts the process.
            host.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        HostingExtensions.AddValidatedOptions<OtlpOptions>(builder, OtlpOptions.SectionName);
        services.AddMetrics();
        if (builder.Configuration.GetSection(OtlpOptions.SectionName).Get<OtlpOptions>() is { Endpoint: { } endpoint } otlp)
        {
            services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter(ProcessorInstruments.MeterName)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = endpoint;
                    exporter.Protocol = otlp.Protocol == OtlpProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)otlp.ExportInterval.TotalMilliseconds;
                }));
        }
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ProcessorHealth>();
        services.AddSingleton<ProcessorInstruments>();
        services.AddSingleton<StateQueryView>();
        services.AddSingleton<StreamThreadListener>();
        return builder;
    }
}
