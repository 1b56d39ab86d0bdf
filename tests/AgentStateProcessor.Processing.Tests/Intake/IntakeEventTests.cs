using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Tests.Support;

namespace AgentStateProcessor.Processing.Tests.Intake;

public sealed class IntakeEventTests
{
    private static readonly EventIntake Intake = Inputs.Intake();
    private static readonly long November21 = Inputs.Micros(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero));

    private static VoiceEvent ReadValid(InputRecord record)
    {
        var result = Intake.Read(record);
        Assert.True(result.Outcome == IntakeOutcome.Event, $"expected an event, got {result.Outcome} [{result.Code}] {result.Reason}");
        Assert.Null(result.Code);
        return result.Event!;
    }

    [Fact]
    public void A_login_carries_its_attributes_and_identity_from_the_message_key()
    {
        var e = ReadValid(Inputs.Json(
            """{"id":"EventAgentLogin","Server":"sip-1","ThisDN":"5001","time":1795770000,"AgentID":"other","CustomerID":"otherTenant","ThisQueue":"8001"}""",
            key: "tenant1:agent42", partition: 2, offset: 77));

        Assert.Equal("EventAgentLogin", e.Name);
        Assert.Equal(EventKind.AgentLogin, e.Kind);
        Assert.Equal("tenant1", e.TenantId);
        Assert.Equal("agent42", e.AgentId);
        Assert.Equal("5001", e.ThisDn);
        Assert.Equal("8001", e.ThisQueue);
        Assert.Null(e.OtherDn);
        Assert.Null(e.ConnId);
        Assert.Null(e.WorkMode);
        Assert.Null(e.ReasonCode);
        Assert.Equal(1_795_770_000_000_000, e.TimeMicros);
        Assert.Equal(new InputPosition(Inputs.Topic, 2, 77), e.Position);
        Assert.Equal("tenant1:agent42", e.AgentKey);
        Assert.Equal("tenant1:5001", e.DnKey);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("no-colon")]
    [InlineData(":agent42")]
    [InlineData("tenant1:")]
    public void Without_a_usable_key_identity_is_CustomerID_and_AgentID(string? key)
    {
        var e = ReadValid(Inputs.Json(
            """{"id":"EventAgentLogin","Server":"sip-1","ThisDN":"5001","time":1795770000,"AgentID":"agent7","CustomerID":"tenantX"}""", key));

        Assert.Equal("tenantX", e.TenantId);
        Assert.Equal("agent7", e.AgentId);
        Assert.Equal("tenantX:agent7", e.AgentKey);
    }

    [Fact]
    public void Without_a_key_or_an_AgentID_the_event_still_names_its_tenant_and_DN()
    {
        var e = ReadValid(Inputs.Json("""{"id":"EventDNDOn","Server":"sip-1","ThisDN":"5001","time":1795770000,"CustomerID":"tenantX"}""", key: null));

        Assert.Equal("tenantX", e.TenantId);
        Assert.Null(e.AgentId);
        Assert.Null(e.AgentKey);
        Assert.Equal("tenantX:5001", e.DnKey);
    }

    [Fact]
    public void Forward_set_carries_OtherDN()
    {
        var e = ReadValid(Inputs.Json("""{"id":"EventForwardSet","Server":"sip-1","ThisDN":"5001","time":1795770300,"OtherDN":"+15550100"}"""));

        Assert.Equal(EventKind.ForwardSet, e.Kind);
        Assert.Equal("+15550100", e.OtherDn);
    }

    [Fact]
    public void Mute_carries_ConnID()
    {
        var e = ReadValid(Inputs.Json("""{"id":"EventMuteOn","ConnID":"006b02d5e2a9a001","ThisDNRole":"RoleOrigination","ThisDN":"5001"}""", timestampMicros: November21));

        Assert.Equal(EventKind.MuteOn, e.Kind);
        Assert.Equal("006b02d5e2a9a001", e.ConnId);
    }

    [Fact]
    public void The_event_name_may_come_under_Event()
    {
        var e = ReadValid(Inputs.Json("""{"Event":"EventDNDOff","Server":"sip-1","ThisDN":"5001","time":1795770000}"""));

        Assert.Equal("EventDNDOff", e.Name);
        Assert.Equal(EventKind.DndOff, e.Kind);
    }

    [Theory]
    [InlineData("4", AgentWorkMode.AgentAuxWork)]
    [InlineData("0", AgentWorkMode.AgentWorkModeUnknown)]
    [InlineData("7", AgentWorkMode.AgentReturnBack)]
    [InlineData("\"AgentAfterCallWork\"", AgentWorkMode.AgentAfterCallWork)]
    [InlineData("\"AgentManualIn\"", AgentWorkMode.AgentManualIn)]
    public void AgentWorkMode_is_read_from_its_number_or_its_name(string json, AgentWorkMode expected)
    {
        var e = ReadValid(Inputs.Json($$"""{"id":"EventAgentReady","AgentWorkMode":{{json}},"Server":"sip-1","ThisDN":"5001","time":1795770000}"""));

        Assert.Equal(expected, e.WorkMode);
    }

    [Theory]
    [InlineData("""{"Reasons":{"ReasonCode":"Lunch"}}""", "Lunch")]
    [InlineData("""{"Extensions":{"ReasonCode":"Hardware"}}""", "Hardware")]
    [InlineData("""{"Extensions":{"reasoncode":42}}""", "42")]
    [InlineData("""{"Extensions":{"REASONCODE":-3}}""", "-3")]
    [InlineData("""{"Extensions":{"ReasonCode":4.5}}""", "4.5")]
    [InlineData("""{"Extensions":{"ReasonCode":true}}""", "true")]
    [InlineData("""{"Reasons":{"ReasonCode":"Lunch"},"Extensions":{"ReasonCode":42}}""", "Lunch")]
    [InlineData("""{"Reasons":{"Other":"x"},"Extensions":{"ReasonCode":42}}""", "42")]
    [InlineData("""{"Extensions":{"Reason":"x"}}""", null)]
    public void The_reason_code_comes_from_Reasons_else_from_Extensions(string lists, string? expected)
    {
        var listsBody = lists[1..^1]; // the object's members, spliced into the event
        var e = ReadValid(Inputs.Json($$"""{"id":"EventAgentNotReady","Server":"sip-1","ThisDN":"5001","time":1795770000,{{listsBody}}}"""));

        Assert.Equal(expected, e.ReasonCode);
    }

    [Theory]
    [InlineData("1795770000", 1_795_770_000_000_000)]
    [InlineData("1795770000.25", 1_795_770_000_250_000)]
    [InlineData("""{"timeinSecs":1795770000,"timeinuSecs":500}""", 1_795_770_000_000_500)]
    [InlineData("\"2026-11-21T09:05:00Z\"", 1_795_251_900_000_000)]
    [InlineData("\"2026-11-21T10:05:00.123456+01:00\"", 1_795_251_900_123_456)]
    public void Time_is_read_from_each_of_its_three_forms(string time, long expectedMicros)
    {
        var e = ReadValid(Inputs.Json($$"""{"id":"EventOffHook","Server":"sip-1","ThisDN":"5001","time":{{time}}}""", timestampMicros: 42));

        Assert.Equal(expectedMicros, e.TimeMicros);
    }

    [Fact]
    public void Without_time_the_record_timestamp_is_the_event_time()
    {
        var e = ReadValid(Inputs.Json("""{"id":"EventDNOutOfService","ThisDN":"5001"}""", timestampMicros: November21 + 123));

        Assert.Equal(November21 + 123, e.TimeMicros);
    }

    [Fact]
    public void Attributes_the_table_does_not_list_are_counted_not_refused()
    {
        var result = Intake.Read(Inputs.Json("""{"id":"EventDNDOn","Server":"sip-1","ThisDN":"5001","time":1795770000,"Vendor":"x","Site":3}"""));

        Assert.Equal(IntakeOutcome.Event, result.Outcome);
        Assert.Equal(2, result.UnlistedAttributeCount);
    }

    [Theory]
    [InlineData("EventPartyInfo")]
    [InlineData("EventAttachedDataChanged")]
    public void An_event_no_table_describes_is_skipped_as_unknown(string name)
    {
        var result = Intake.Read(Inputs.Json($$"""{"id":"{{name}}","ThisDN":"5001"}"""));

        Assert.Equal(IntakeOutcome.Skipped, result.Outcome);
        Assert.Equal(IntakeCodes.UnknownEvent, result.Code);
        Assert.Null(result.Event);
        Assert.Contains(name, result.Reason);
    }

    [Theory]
    [InlineData("EventMonitoringNextCall")]
    [InlineData("EventMonitoringCancelled")]
    [InlineData("EventListenDisconnected")]
    [InlineData("EventListenReconnected")]
    public void A_valid_extension_event_without_a_state_rule_is_skipped_under_its_own_name(string name)
    {
        var result = Intake.Read(Inputs.Json($$"""{"id":"{{name}}","ThisDN":"5001","AgentID":"agent42"}"""));

        Assert.Equal((IntakeOutcome.Skipped, name), (result.Outcome, result.Code));
        Assert.Null(result.Event);
    }

    [Fact]
    public void An_invalid_extension_event_is_a_dead_letter_not_a_skip()
    {
        var result = Intake.Read(Inputs.Json("""{"id":"EventListenReconnected","ThisDN":5001}"""));

        Assert.Equal((IntakeOutcome.DeadLetter, "wrong-type"), (result.Outcome, result.Code));
    }

    [Theory]
    [InlineData("EventQueueLogout", EventKind.QueueLogout)]
    [InlineData("EventMessageWaitingOn", EventKind.MessageWaitingOn)]
    [InlineData("EventMessageWaitingOff", EventKind.MessageWaitingOff)]
    public void An_extension_event_with_a_state_rule_is_an_event_to_fold(string name, EventKind kind)
    {
        var result = Intake.Read(Inputs.Json($$"""{"id":"{{name}}","ThisDN":"5001","ThisQueue":"8002","AgentID":"agent42","CustomerID":"t1"}"""));

        Assert.Equal(IntakeOutcome.Event, result.Outcome);
        Assert.Equal((kind, "5001", "8002"), (result.Event!.Kind, result.Event.ThisDn, result.Event.ThisQueue));
    }
}
