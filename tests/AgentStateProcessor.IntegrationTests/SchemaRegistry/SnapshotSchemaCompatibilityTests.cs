using System.Text.Json.Nodes;
using Avro;
using Avro.Generic;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.SchemaRegistry;
using Confluent.SchemaRegistry;
using Microsoft.Extensions.Logging.Abstractions;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.IntegrationTests.SchemaRegistry;

/// <summary>
/// The DN snapshot schema's evolution as registry users meet it: Confluent's client asks the registry whether the
/// new schema is compatible with the registered first version (the stand-in judges with python3-avro's checker),
/// and a snapshot written through the registry under the first version restores once the new version is registered.
/// </summary>
public sealed class SnapshotSchemaCompatibilityTests : IAsyncLifetime
{
    private const string Subject = "voice-agentstate-dn-snapshots-value";
    private static readonly TopicOptions Topics = new() { AgentSnapshots = "compat-agents", DnSnapshots = "compat-dns" };
    private static readonly string FirstVersionText = File.ReadAllText(RepositoryRoot.PathOf("schemas", "snapshots", "previous", "DnSnapshot.v1.avsc"));
    private static readonly string CurrentText = File.ReadAllText(RepositoryRoot.PathOf("schemas", "snapshots", "DnSnapshot.avsc"));
    private TestSchemaRegistryServer _server = null!;

    public async Task InitializeAsync() => _server = await TestSchemaRegistryServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("BACKWARD")]
    [InlineData("FORWARD")]
    [InlineData("FULL")]
    public async Task The_new_DN_snapshot_schema_is_compatible_with_the_registered_first_version(string level)
    {
        _server.Register(Subject, FirstVersionText);
        _server.CompatibilityLevel = level;
        using var registry = SchemaRegistryClientFactory.Create(new SchemaRegistryOptions { Url = _server.Url.ToString() });

        Assert.True(await registry.IsCompatibleAsync(Subject, new Confluent.SchemaRegistry.Schema(CurrentText, SchemaType.Avro)));
        Assert.Contains(_server.Requests, r => r.Method == "POST" && r.PathAndQuery.StartsWith($"/compatibility/subjects/{Subject}/versions/latest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_field_without_a_default_is_refused_as_the_registry_refuses_it()
    {
        _server.Register(Subject, FirstVersionText);
        var withoutDefault = JsonNode.Parse(CurrentText)!;
        withoutDefault["fields"]!.AsArray().Single(f => (string?)f!["name"] == "messageWaiting")!.AsObject().Remove("default");
        using var registry = SchemaRegistryClientFactory.Create(new SchemaRegistryOptions { Url = _server.Url.ToString() });

        Assert.False(await registry.IsCompatibleAsync(Subject, new Confluent.SchemaRegistry.Schema(withoutDefault.ToJsonString(), SchemaType.Avro)));
    }

    [Fact]
    public async Task A_DN_snapshot_written_through_the_registry_under_the_first_version_restores_after_the_new_one_is_registered()
    {
        var options = new SchemaRegistryOptions { Url = _server.Url.ToString() };
        using var registry = SchemaRegistryClientFactory.Create(options);
        var firstVersion = (RecordSchema)Avro.Schema.Parse(FirstVersionText);
        var state = DnState.Initial("acme", "5001", 1_795_770_000_000_000, new InputPosition("voice-agentstate", 1, 9)) with
        {
            AgentId = "agent-7", Queues = ["7001", "7002"], Dnd = true, InputPositions = [new(1, 9)],
        };
        var current = SnapshotMapper.ToRecord(state);
        var old = new GenericRecord(firstVersion);
        foreach (var field in firstVersion.Fields) old.Add(field.Name, current[field.Name]);
        var oldSerializer = new SnapshotAvroSerializer(registry, options, Topics.DnSnapshots, firstVersion);
        await oldSerializer.EnsureRegisteredAsync(CancellationToken.None);
        var oldBytes = oldSerializer.Serialize(old);

        var format = await RegistrySnapshotFormat.CreateAsync(registry, options, Topics, NullLogger.Instance, CancellationToken.None);
        var restored = SnapshotMapper.ToDnState(format.Deserialize(Topics.DnSnapshots, SnapshotSchemas.Dn, oldBytes));

        Assert.Equal(2, _server.Subjects[oldSerializer.Subject].Count);
        Assert.False(restored.MessageWaiting);
        Assert.Equal(SnapshotCodec.Encode(SnapshotMapper.ToRecord(state)), SnapshotCodec.Encode(SnapshotMapper.ToRecord(restored)));
    }
}
