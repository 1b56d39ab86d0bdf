using AgentStateProcessor.Commands;
using AgentStateProcessor.Hosting;
using Microsoft.Extensions.Hosting;

if (args is ["replay", .. var replayArgs])
{
    return ReplayCommand.Run(replayArgs, Console.Out, Console.Error);
}

var builder = Host.CreateApplicationBuilder(args);
builder.AddAgentStateProcessor();
using var host = builder.Build();
await host.RunAsync();
return 0;
