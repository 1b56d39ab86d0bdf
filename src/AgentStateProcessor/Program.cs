using AgentStateProcessor.Commands;
using AgentStateProcessor.Hosting;
using AgentStateProcessor.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

if (args is ["replay", .. var replayArgs])
{
    return ReplayCommand.Run(replayArgs, Console.Out, Console.Error);
}

// appsettings.json is read from beside the executable, wherever the process is started from.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddAgentStateProcessor();
using var host = builder.Build();
var metrics = host.Services.GetRequiredService<PipelineMetrics>();
await host.RunAsync();
// A pipeline failure stops the host; the exit code tells the supervisor it was not a clean stop.
return metrics.Failure is null ? 0 : 1;
