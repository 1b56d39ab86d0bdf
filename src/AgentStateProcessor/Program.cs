using AgentStateProcessor.Commands;
using AgentStateProcessor.Hosting;
using AgentStateProcessor.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

if (args is ["replay", .. var replayArgs])
{
    return ReplayCommand.Run(replayArgs, Console.Out, Console.Error);
}

// Before anything touches Kafka: every client and the embedded mock cluster must bind to the bundled librdkafka.
LoadedLibrdkafka librdkafka;
try
{
    librdkafka = BundledLibrdkafka.Load();
}
catch (LibrdkafkaUnavailableException e)
{
    Console.Error.WriteLine($"AgentStateProcessor cannot start: {e.Message}");
    return 1;
}

// appsettings.json is read from beside the executable, wherever the process is started from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddAgentStateProcessor();
using var host = builder.Build();
host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BundledLibrdkafka).FullName!)
    .LogInformation("librdkafka {LibrdkafkaVersion} loaded from {LibrdkafkaPath} (features: {LibrdkafkaFeatures})",
        librdkafka.Version, librdkafka.Path, string.Join(",", librdkafka.Features));
var metrics = host.Services.GetRequiredService<PipelineMetrics>();
await host.RunAsync();
// A pipeline failure stops the host; the exit code tells the supervisor it was not a clean stop.
return metrics.Failure is null ? 0 : 1;
