using System.Buffers.Binary;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;
using Avro.IO;
using AgentStateProcessor.Domain;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.IntegrationTests.SchemaRegistry;
using AgentStateProcessor.SchemaRegistry;
using AgentStateProcessor.Processing.Changes;
using AgentStateProcessor.Processing.Snapshots;
using Confluent.Kafka;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>The pipeline with a schema registry: Confluent wire format out, and accepted in.</summary>
public sealed class SchemaRegistryPipelineTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>, IAsyncLifetime
{
    private const string Key = "tenant-av:agent-av";
    private TestSchemaRegistryServer _registry = null!;

    public async Task InitializeAsync() => _registry = await TestSchemaRegistryServer.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task Snapshots_are_framed_with_the_ids_registered_under_the_topic_subjects_and_framed_Avro_input_is_applied_or_dead_lettered_by_its_schema_id()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 1, dnPartitions: 1);
        var loginJson = await File.ReadAllTextAsync(RepositoryRoot.PathOf("schemas", "events", "EventAgentLogin.avsc"));
        var loginSchema = (RecordSchema)Schema.Parse(loginJson);
        var loginSchemaId = await RegisterAsync($"{topics.Input}-value", loginJson);
        var login = new GenericRecord(loginSchema);
        login.Add("id", "EventAgentLogin");
        login.Add("Server", "voice-sip-01");
        login.Add("ThisDN", "6001");
        login.Add("time", SnapshotMapper.Instant(1767620000_123456L));
        login.Add("AgentID", "agent-av");
        login.Add("CustomerID", "tenant-av");
        login.Add("ThisQueue", "9100");
        Message<byte[]?, byte[]?>[] messages =
        [
            new() { Key = Encoding.UTF8.GetBytes(Key), Value = Framed(loginSchemaId, login) },
            KafkaTestClient.Message(Key, """{"id":"EventAgentNotReady","Server":"voice-sip-01","ThisDN":"6001","AgentWorkMode":4,"time":1767620001,"Reasons":{"ReasonCode":"Lunch"}}"""),
            // An id the registry never gave out: a dead letter, not a reason to stop.
            new() { Key = Encoding.UTF8.GetBytes(Key), Value = Framed(loginSchemaId + 1_000, login) },
        ];

        await using var host = await ProcessorHost.StartAsync(topics.Settings(fixture.BootstrapServers, "registry",
            extra: ("SchemaRegistry:Url", _registry.Url.ToString())));
        var input = ProducedInput.ProduceInOrder(fixture.BootstrapServers, new TopicPartition(topics.Input, 0), messages);
        await host.WaitUntilConsumedAsync(messages.Length);
        await host.StopAsync();

        var agentSchemaId = AssertRegisteredUnder($"{topics.AgentSnapshots}-value", SnapshotSchemas.Agent.ToString());
        var dnSchemaId = AssertRegisteredUnder($"{topics.DnSnapshots}-value", SnapshotSchemas.Dn.ToString());
        var changeSchemaId = AssertRegisteredUnder($"{topics.AgentStateChanges}-value", AgentStateChangeMapper.Schema.ToString());
        Assert.Equal(3, new[] { agentSchemaId, dnSchemaId, changeSchemaId }.Distinct().Count());
        AssertAllFramedWith(topics.AgentSnapshots, agentSchemaId);
        AssertAllFramedWith(topics.DnSnapshots, dnSchemaId);
        AssertAllFramedWith(topics.AgentStateChanges, changeSchemaId);

        using var registry = SchemaRegistryClientFactory.Create(new SchemaRegistryOptions { Url = _registry.Url.ToString() });
        var agent = SnapshotTopics.ReadAgents(fixture.BootstrapServers, topics.AgentSnapshots, registry)[Key].State;
        Assert.Equal((AgentStatus.NotReady, "6001", "Lunch", 1767620000_123456L), (agent.State, agent.Dn, agent.ReasonCode, agent.LoggedInSince));
        Assert.Equal(["9100"], agent.Queues.ToArray());
        var reference = ReferenceRun.Of(input, decodeFramedAvro: new RegistryAvroDecoder(registry).Decode);
        PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(fixture.BootstrapServers, topics.AgentSnapshots, registry));
        PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(fixture.BootstrapServers, topics.DnSnapshots, registry));
        var deadLetter = Assert.Single(reference.DeadLetters);
        Assert.Equal((Processing.Intake.IntakeCodes.UnknownSchemaId, input[^1].Position), (deadLetter.Code, deadLetter.Record.Position));
        PipelineAssert.ExactDeadLetters(reference.DeadLetters, SnapshotTopics.ReadAll(fixture.BootstrapServers, topics.DeadLetters));
        Assert.NotEmpty(reference.Changes);
        PipelineAssert.ChangesMatch(reference.Changes, fixture.BootstrapServers, topics.AgentStateChanges, registry: registry);
    }

    private async Task<int> RegisterAsync(string subject, string schema)
    {
        using var http = new HttpClient { BaseAddress = _registry.Url };
        using var response = await http.PostAsync($"subjects/{subject}/versions",
            new StringContent(new JsonObject { ["schema"] = schema }.ToJsonString(), Encoding.UTF8, TestSchemaRegistryServer.MediaType));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<int>();
    }

    /// <summary>The processor registered the snapshot schema under the subject; returns the id the registry gave it.</summary>
    private int AssertRegisteredUnder(string subject, string schemaJson)
    {
        Assert.Contains(_registry.Requests, r => r.Method == "POST" && r.PathAndQuery.Split('?')[0] == $"/subjects/{subject}/versions");
        return _registry.IdOf(schemaJson) ?? throw new Xunit.Sdk.XunitException($"the schema for {subject} was never registered");
    }

    /// <summary>Magic byte 0, the schema id big-endian, then the Apache.Avro body, as a Confluent serializer writes.</summary>
    internal static byte[] Framed(int schemaId, GenericRecord record)
    {
        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[5];
        BinaryPrimitives.WriteInt32BigEndian(header[1..], schemaId);
        stream.Write(header);
        new GenericDatumWriter<GenericRecord>(record.Schema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    private void AssertAllFramedWith(string topic, int schemaId)
    {
        var snapshots = SnapshotTopics.ReadAll(fixture.BootstrapServers, topic);
        Assert.NotEmpty(snapshots);
        Assert.All(snapshots, snapshot =>
        {
            var value = snapshot.Message.Value;
            Assert.True(value is [0, _, _, _, _, ..], $"{snapshot.TopicPartitionOffset} is not in the Confluent wire format");
            Assert.Equal(schemaId, BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(1, 4)));
        });
    }
}
