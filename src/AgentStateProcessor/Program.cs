using AgentStateProcessor.Commands;
using AgentStateProcessor.Hosting;
using AgentStateProcessor.Kafka;

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
    return ProcessorApp.ExitFailed;
}

return await ProcessorApp.RunAsync(args, librdkafka, Console.Error);
