using AgentStateProcessor.Commands;
using AgentStateProcessor.Hosting;

if (args is ["replay", .. var replayArgs])
{
    return ReplayCommand.Run(replayArgs, Console.Out, Console.Error);
}

return await ProcessorApp.RunAsync(args, Console.Error);
