using AgentStateProcessor.Commands;
using AgentStateProcessor.Hosting;
using AgentStateProcessor.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

if (args is ["replay", .. var replayArgs])
{
    return ReplayCommand.Run(replayArgs, Console.Out, Console.Error);
}

var builder = Host.CreateApplicationBuilder(args);
builder.AddAgentStateProcessor();
using var host = builder.Build();
var metrics = host.Services.GetRequiredService<PipelineMetrics>();
await host.RunAsync();
// A pipeline failure stops the host; the exit code tells the supervisor it was not a clean stop.
return metrics.Failure is null ? 0 : 1;
