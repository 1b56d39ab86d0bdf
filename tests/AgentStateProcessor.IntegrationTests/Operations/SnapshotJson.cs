using System.Text.Json;
using System.Text.Json.Nodes;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Processing.Snapshots;

namespace AgentStateProcessor.IntegrationTests.Operations;

/// <summary>The JSON a state query must answer for a state: its snapshot record as plain JSON.</summary>
internal static class SnapshotJson
{
    public static JsonNode Of(AgentState state)
    {
        var record = SnapshotMapper.ToRecord(state);
        return Write(json => PlainJson.Write(json, record.Schema, record));
    }

    public static JsonNode Of(DnState state)
    {
        var record = SnapshotMapper.ToRecord(state);
        return Write(json => PlainJson.Write(json, record.Schema, record));
    }

    private static JsonNode Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream)) write(json);
        return JsonNode.Parse(stream.ToArray())!;
    }
}
