using System.Globalization;
using System.Text.Json;
using Avro.Generic;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing.Snapshots;

namespace AgentStateProcessor.Processing.Tests;

public sealed class PlainJsonTests
{
    private static readonly long Login = Micros(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero)) + 250_123;
    private static readonly long Ready = Micros(new DateTimeOffset(2026, 11, 21, 9, 5, 30, TimeSpan.Zero));

    private static long Micros(DateTimeOffset instant) => (instant - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;

    private static JsonElement Json(GenericRecord record)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) PlainJson.Write(writer, record.Schema, record);
        return JsonDocument.Parse(stream.ToArray()).RootElement.Clone();
    }

    private static long ParseMicros(JsonElement timestamp)
    {
        Assert.Equal(JsonValueKind.String, timestamp.ValueKind);
        var text = timestamp.GetString()!;
        var instant = DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
        return Micros(instant);
    }

    [Fact]
    public void An_agent_snapshot_has_the_design_field_names_in_order_with_symbols_and_ISO_timestamps()
    {
        var agent = new AgentState("tenant1", "agent42", AgentStatus.Ready, AgentWorkMode.AgentAuxWork, "Lunch", "5001",
            ["8001", "8002"], Login, Ready, Ready, "EventAgentReady", 3, new InputPosition("voice-agentstate", 2, 77));

        var json = Json(SnapshotMapper.ToRecord(agent));

        Assert.Equal(
            ["tenantId", "agentId", "state", "workMode", "reasonCode", "dn", "queues", "loggedInSince", "stateSince", "updatedAt", "lastEvent", "eventCount", "source"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("tenant1", json.GetProperty("tenantId").GetString());
        Assert.Equal("agent42", json.GetProperty("agentId").GetString());
        Assert.Equal("Ready", json.GetProperty("state").GetString());
        Assert.Equal("AgentAuxWork", json.GetProperty("workMode").GetString());
        Assert.Equal("Lunch", json.GetProperty("reasonCode").GetString());
        Assert.Equal("5001", json.GetProperty("dn").GetString());
        Assert.Equal(["8001", "8002"], json.GetProperty("queues").EnumerateArray().Select(q => q.GetString()));
        Assert.Equal(Login, ParseMicros(json.GetProperty("loggedInSince")));
        Assert.StartsWith("2026-11-21T09:00:00.250123", json.GetProperty("loggedInSince").GetString());
        Assert.Equal(Ready, ParseMicros(json.GetProperty("stateSince")));
        Assert.Equal(Ready, ParseMicros(json.GetProperty("updatedAt")));
        Assert.Equal("EventAgentReady", json.GetProperty("lastEvent").GetString());
        Assert.Equal(3, json.GetProperty("eventCount").GetInt64());
        var source = json.GetProperty("source");
        Assert.Equal(["topic", "partition", "offset"], source.EnumerateObject().Select(p => p.Name));
        Assert.Equal("voice-agentstate", source.GetProperty("topic").GetString());
        Assert.Equal(2, source.GetProperty("partition").GetInt32());
        Assert.Equal(77, source.GetProperty("offset").GetInt64());
    }

    [Fact]
    public void Unset_nullable_agent_fields_are_JSON_null()
    {
        var json = Json(SnapshotMapper.ToRecord(AgentState.Initial("t1", "a1", Login, new InputPosition("voice-agentstate", 0, 1))));

        foreach (var field in new[] { "workMode", "reasonCode", "dn", "loggedInSince" })
        {
            Assert.Equal(JsonValueKind.Null, json.GetProperty(field).ValueKind);
        }
        Assert.Equal("LoggedOut", json.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Array, json.GetProperty("queues").ValueKind);
        Assert.Equal(0, json.GetProperty("queues").GetArrayLength());
    }

    [Fact]
    public void A_dn_snapshot_has_the_design_field_names_and_its_input_positions_as_an_object()
    {
        var dn = DnState.Initial("tenant1", "5001", Login, new InputPosition("voice-agentstate", 1, 9)) with
        {
            ForwardTo = "+15550100",
            MutedConnections = ["c1"],
            InputPositions = [new(0, 4), new(1, 9)],
        };

        var json = Json(SnapshotMapper.ToRecord(dn));

        Assert.Equal(
            ["tenantId", "dn", "inService", "dnd", "forwardTo", "offHook", "mutedConnections", "messageWaiting", "agentId", "queues", "updatedAt", "lastEvent", "eventCount", "source", "inputPositions"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.True(json.GetProperty("inService").GetBoolean());
        Assert.False(json.GetProperty("dnd").GetBoolean());
        Assert.False(json.GetProperty("messageWaiting").GetBoolean());
        Assert.Equal("+15550100", json.GetProperty("forwardTo").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("agentId").ValueKind);
        Assert.Equal(Login, ParseMicros(json.GetProperty("updatedAt")));
        var positions = json.GetProperty("inputPositions");
        Assert.Equal(["0", "1"], positions.EnumerateObject().Select(p => p.Name));
        Assert.Equal(9, positions.GetProperty("1").GetInt64());
    }

    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00.0000000+00:00")]
    [InlineData(-1L, "1969-12-31T23:59:59.9999990+00:00")]
    [InlineData(253_402_300_799_999_999L, "9999-12-31T23:59:59.9999990+00:00")]
    public void Timestamps_at_the_edges_are_written_as_ISO_8601_in_UTC(long micros, string expected)
    {
        var json = Json(SnapshotMapper.ToRecord(AgentState.Initial("t1", "a1", micros, default)));

        Assert.Equal(expected, json.GetProperty("updatedAt").GetString());
    }
}
