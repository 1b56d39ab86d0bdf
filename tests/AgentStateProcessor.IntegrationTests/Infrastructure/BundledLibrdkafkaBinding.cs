using System.Runtime.CompilerServices;
using AgentStateProcessor.Kafka;

namespace AgentStateProcessor.IntegrationTests.Infrastructure;

internal static class BundledLibrdkafkaBinding
{
    // Tests build Kafka clients directly, often before any code of the processor runs; binding when
    // the test assembly loads makes every client and mock cluster use the bundled librdkafka.
    [ModuleInitializer]
    internal static void Bind() => BundledLibrdkafka.Load();
}
