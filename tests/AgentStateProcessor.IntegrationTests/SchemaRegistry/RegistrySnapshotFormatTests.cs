using AgentStateProcessor.Configuration;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.SchemaRegistry;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentStateProcessor.IntegrationTests.SchemaRegistry;

/// <summary>What the pipeline writes with a registry, it restores: Confluent's serializer out, Confluent's deserializer back.</summary>
public sealed class RegistrySnapshotFormatTests : IAsyncLifetime
{
    private static readonly TopicOptions Topics = new() { AgentSnapshots = "asp-agents", DnSnapshots = "asp-dns" };
    private TestSchemaRegistryServer _server = null!;

    public async Task InitializeAsync() => _server = await TestSchemaRegistryServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Agent_and_dn_states_survive_the_registry_format_and_each_topic_gets_its_own_schema_id()
    {
        var options = new SchemaRegistryOptions { Url = _server.Url.ToString() };
        using var registry = SchemaRegistryClientFactory.Create(options);
        var format = await RegistrySnapshotFormat.CreateAsync(registry, options, Topics, NullLogger.Instance, CancellationToken.None);
        var position = new InputPosition("voice-agentstate", 2, 41);
        var agent = AgentState.Initial("acme", "agent-7", 1_795_770_000_000_000, position) with
        {
            State = AgentStatus.NotReady, WorkMode = AgentWorkMode.AgentAfterCallWork, ReasonCode = "Lunch", Queues = ["7001", "7002"],
        };
        var dn = DnState.Initial("acme", "5001", 1_795_770_000_000_000, position) with { Dnd = true, ForwardTo = "5002" };

        var agentBytes = format.Serialize(Topics.AgentSnapshots, SnapshotMapper.ToRecord(agent));
        var dnBytes = format.Serialize(Topics.DnSnapshots, SnapshotMapper.ToRecord(dn));

        // Compared as single-object bytes: equal bytes are equal states, field by field.
        var restoredAgent = SnapshotMapper.ToAgentState(format.Deserialize(Topics.AgentSnapshots, SnapshotSchemas.Agent, agentBytes));
        var restoredDn = SnapshotMapper.ToDnState(format.Deserialize(Topics.DnSnapshots, SnapshotSchemas.Dn, dnBytes));
        Assert.Equal(SnapshotCodec.Encode(SnapshotMapper.ToRecord(agent)), SnapshotCodec.Encode(SnapshotMapper.ToRecord(restoredAgent)));
        Assert.Equal(SnapshotCodec.Encode(SnapshotMapper.ToRecord(dn)), SnapshotCodec.Encode(SnapshotMapper.ToRecord(restoredDn)));
        Assert.Equal(0, agentBytes[0]);
        Assert.NotEqual(agentBytes[1..5], dnBytes[1..5]);
        var mixedUp = Assert.Throws<InvalidDataException>(() => format.Deserialize(Topics.AgentSnapshots, SnapshotSchemas.Agent, dnBytes));
        Assert.Contains("DnSnapshot", mixedUp.Message);
    }
}
