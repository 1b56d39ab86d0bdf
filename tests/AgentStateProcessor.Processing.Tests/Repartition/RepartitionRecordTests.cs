using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing.Repartition;

namespace AgentStateProcessor.Processing.Tests.Repartition;

public sealed class RepartitionRecordTests
{
    private static readonly VoiceEvent Full = new(
        Name: "EventAgentLogin",
        Kind: EventKind.AgentLogin,
        TenantId: "Tenant-Ä",
        AgentId: "ag:4",
        ThisDn: "SIP::6001",
        ThisQueue: "Ärzte",
        OtherDn: "5002",
        ConnId: "006b02d5e2a9a00A",
        WorkMode: AgentWorkMode.AgentAutoIn,
        ReasonCode: "Lunch 🍕",
        TimeMicros: 1_795_770_000_123_456,
        Position: new InputPosition("voice-agentstate", 7, 123_456_789_012));

    private static readonly VoiceEvent Sparse = new("EventDNDOn", EventKind.DndOn, "t", null, null, null, null, null, null, null, 0,
        new InputPosition("", 0, 0));

    private static RepartitionRecord RoundTrip(RepartitionRecord record)
    {
        var decoded = RepartitionRecord.Decode(record.Encode(), out var error);
        Assert.True(decoded is not null, error);
        Assert.Null(error);
        return decoded;
    }

    public static TheoryData<EventKind, AgentWorkMode?> KindsAndModes()
    {
        var data = new TheoryData<EventKind, AgentWorkMode?>();
        foreach (var kind in Enum.GetValues<EventKind>())
        {
            data.Add(kind, null);
            foreach (var mode in Enum.GetValues<AgentWorkMode>()) data.Add(kind, mode);
        }
        return data;
    }

    [Fact]
    public void Decoded_events_share_their_tenant_queue_reason_name_and_topic_text_as_intake_does()
    {
        var first = RoundTrip(new RepartitionRecord(Full, "Tenant-Ä:ag:4", 1)).Event;
        var second = RoundTrip(new RepartitionRecord(Full, "Tenant-Ä:ag:4", 2)).Event;

        Assert.Same(first.TenantId, second.TenantId);
        Assert.Same(first.ThisQueue, second.ThisQueue);
        Assert.Same(first.ReasonCode, second.ReasonCode);
        Assert.Same(first.Name, second.Name);
        Assert.Same(first.Position.Topic, second.Position.Topic);
        Assert.NotSame(first.AgentId, second.AgentId);
    }

    [Theory]
    [MemberData(nameof(KindsAndModes))]
    public void Every_kind_and_work_mode_survives_the_hop(EventKind kind, AgentWorkMode? mode)
    {
        var record = new RepartitionRecord(Full with { Kind = kind, WorkMode = mode }, "Tenant-Ä:ag:4", 1_795_770_000_999_000);

        Assert.Equal(record, RoundTrip(record));
    }

    [Fact]
    public void Absent_optional_fields_stay_absent_and_empty_texts_stay_empty()
    {
        var record = new RepartitionRecord(Sparse, InputKey: null, InputTimestampMicros: 0);

        var decoded = RoundTrip(record);

        Assert.Equal(record, decoded);
        Assert.Null(decoded.InputKey);
        Assert.Null(decoded.Event.AgentId);
        Assert.Null(decoded.Event.WorkMode);
        Assert.Equal("", RoundTrip(record with { InputKey = "", Event = Sparse with { ReasonCode = "" } }).Event.ReasonCode);
    }

    [Theory]
    [InlineData(long.MinValue, int.MinValue, long.MinValue)]
    [InlineData(long.MaxValue, int.MaxValue, long.MaxValue)]
    [InlineData(-1, -1, -1)]
    [InlineData(63, 64, 8191)]
    public void Numbers_keep_their_value_at_the_edges(long time, int partition, long offset)
    {
        var record = new RepartitionRecord(Full with { TimeMicros = time, Position = new InputPosition("x", partition, offset) }, "k", time);

        Assert.Equal(record, RoundTrip(record));
    }

    [Fact]
    public void The_layout_is_the_documented_one()
    {
        var e = new VoiceEvent("EventDNDOn", EventKind.DndOn, "t1", null, "5001", null, null, null, AgentWorkMode.AgentManualIn, null, 1,
            new InputPosition("in", 2, 3));

        var bytes = new RepartitionRecord(e, "t1:a1", 1000).Encode();

        // docs/pipeline.md, "The repartition record": version 1, zigzag varints, texts length-prefixed,
        // optional texts and the work mode stored plus one with 0 for null.
        Assert.Equal(
            "01" + "D00F" + "04696E" + "04" + "06" + "0C74313A6131" + "14" + "4576656E74444E444F6E" + "10" + "047431" + "00" + "0A35303031"
            + "00" + "00" + "00" + "04" + "00" + "02",
            Convert.ToHexString(bytes));
    }

    public static TheoryData<string, byte[]> BadBytes()
    {
        var valid = new RepartitionRecord(Full, "k", 1).Encode();
        var data = new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "unknown version", [2, .. valid[1..]] },
            { "version 0", [0, .. valid[1..]] },
            { "a byte after the record", [.. valid, 0] },
            { "a number of 11 bytes", [1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01] },
            { "a text longer than the record", [1, 0, 0x7E, 0x41] },
            { "a negative text length", [1, 0, 0x01] },
            { "invalid UTF-8", [1, 0, 0x04, 0xC3, 0x28, 0, 0] },
            { "JSON of the input", "{\"id\":\"EventDNDOn\",\"ThisDN\":\"5001\"}"u8.ToArray() },
        };
        for (var length = 1; length < valid.Length; length++) data.Add($"cut after {length} bytes", valid[..length]);
        return data;
    }

    [Theory]
    [MemberData(nameof(BadBytes))]
    public void Bytes_that_are_not_a_record_are_refused_with_a_reason_never_an_exception(string why, byte[] bytes)
    {
        var decoded = RepartitionRecord.Decode(bytes, out var error);

        Assert.True(decoded is null, $"{why}: decoded {decoded}");
        Assert.False(string.IsNullOrWhiteSpace(error), why);
    }

    [Fact]
    public void An_unknown_kind_or_work_mode_is_refused()
    {
        var kind = (EventKind)Enum.GetValues<EventKind>().Length;
        var mode = (AgentWorkMode)Enum.GetValues<AgentWorkMode>().Length;

        Assert.Null(RepartitionRecord.Decode(new RepartitionRecord(Full with { Kind = kind }, null, 0).Encode(), out var kindError));
        Assert.Null(RepartitionRecord.Decode(new RepartitionRecord(Full with { WorkMode = mode }, null, 0).Encode(), out var modeError));
        Assert.Contains("kind", kindError);
        Assert.Contains("work mode", modeError);
    }
}
