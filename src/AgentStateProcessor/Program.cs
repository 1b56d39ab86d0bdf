Console.WriteLine($"AgentStateProcessor, librdkafka {Confluent.Kafka.Library.VersionString}");
