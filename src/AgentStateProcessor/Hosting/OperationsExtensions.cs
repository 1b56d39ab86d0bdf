using AgentStateProcessor.Health;
using AgentStateProcessor.Http;
using AgentStateProcessor.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

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
        services.AddMetrics();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ProcessorHealth>();
        services.AddSingleton<ProcessorInstruments>();
        services.AddSingleton<StateQueryView>();
        services.AddSingleton<StreamThreadListener>();
        return builder;
    }
}
