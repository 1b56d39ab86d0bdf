using System.Text;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Tests.Support;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Processing.Tests.Intake;

public sealed class IntakeDeadLetterTests
{
    private static readonly EventIntake Intake = Inputs.Intake();

    private static void AssertDeadLetter(InputRecord record, string expectedCode)
    {
        var result = Intake.Read(record);
        Assert.True(result.Outcome == IntakeOutcome.DeadLetter, $"expected a dead letter '{expectedCode}', got {result.Outcome} {result.Code}");
        Assert.Equal(expectedCode, result.Code);
        Assert.Null(result.Event);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }

    [Fact]
    public void A_value_over_the_limit_is_too_large_even_when_it_is_a_valid_event()
    {
        var padding = new string('x', Inputs.MaxMessageBytes);
        var record = Inputs.Json($$"""{"id":"EventDNDOn","Server":"sip-1","ThisDN":"5001","time":1795770000,"Vendor":"{{padding}}"}""");

        AssertDeadLetter(record, IntakeCodes.TooLarge);
        Assert.Contains(Inputs.MaxMessageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), Intake.Read(record).Reason);
    }

    [Fact]
    public void A_value_exactly_at_the_limit_is_read()
    {
        var json = """{"id":"EventDNDOn","Server":"sip-1","ThisDN":"5001","time":1795770000,"Vendor":""}""";
        var padded = json.Insert(json.Length - 2, new string('x', Inputs.MaxMessageBytes - json.Length));
        Assert.Equal(Inputs.MaxMessageBytes, Encoding.UTF8.GetByteCount(padded));

        Assert.Equal(IntakeOutcome.Event, Intake.Read(Inputs.Json(padded)).Outcome);
    }

    [Fact]
    public void An_empty_value_is_a_dead_letter() => AssertDeadLetter(Inputs.Bytes([]), IntakeCodes.EmptyValue);

    [Fact]
    public void A_valid_event_without_key_and_without_CustomerID_belongs_to_no_tenant() =>
        AssertDeadLetter(Inputs.Json("""{"id":"EventAgentLogin","Server":"sip-1","ThisDN":"5001","time":1795770000,"AgentID":"a1"}""", key: null),
            IntakeCodes.NoTenant);

    [Theory]
    [InlineData(null)]
    [InlineData("no-colon")]
    public void With_the_agent_key_required_an_agent_event_without_a_tenant_agent_key_is_a_dead_letter(string? key)
    {
        var intake = new EventIntake(EventSchemaSet.LoadEmbedded(), Inputs.MaxMessageBytes, requireAgentKey: true);

        var result = intake.Read(Inputs.Json("""{"id":"EventAgentReady","Server":"sip-1","ThisDN":"5001","time":1795770000,"AgentWorkMode":2,"AgentID":"a1","CustomerID":"acme"}""", key: key));

        Assert.Equal((IntakeOutcome.DeadLetter, IntakeCodes.NoAgentKey), (result.Outcome, result.Code));
        Assert.Contains("tenant:agent", result.Reason);
    }

    [Fact]
    public void With_the_agent_key_required_a_keyless_DN_event_still_finds_its_tenant_in_CustomerID()
    {
        var intake = new EventIntake(EventSchemaSet.LoadEmbedded(), Inputs.MaxMessageBytes, requireAgentKey: true);

        var result = intake.Read(Inputs.Json("""{"id":"EventDNDOn","Server":"sip-1","ThisDN":"5001","time":1795770000,"CustomerID":"acme"}""", key: null));

        Assert.Equal(IntakeOutcome.Event, result.Outcome);
        Assert.Equal("acme:5001", result.Event!.DnKey);
    }

    [Theory]
    [InlineData("""{"id":"EventAgentLogin","ThisDN":""")]
    [InlineData("hello")]
    [InlineData("""{"id":"EventDNDOn"} trailing""")]
    public void Text_that_is_not_JSON_is_malformed(string value) =>
        AssertDeadLetter(Inputs.Json(value), ValidationErrorCodes.MalformedJson);

    [Fact]
    public void Bytes_that_are_not_UTF8_are_malformed() =>
        AssertDeadLetter(Inputs.Bytes([(byte)'{', 0xFF, 0xFE, (byte)'}']), ValidationErrorCodes.MalformedJson);

    [Fact]
    public void A_missing_mandatory_attribute_is_a_dead_letter() =>
        AssertDeadLetter(Inputs.Json("""{"id":"EventAgentLogin","Server":"sip-1","time":1795770000,"AgentID":"a1"}"""),
            ValidationErrorCodes.MissingAttribute);

    [Theory]
    [InlineData("""{"id":"EventAgentLogin","Server":"sip-1","ThisDN":{"n":1},"time":1795770000}""")]
    [InlineData("""{"id":"EventAgentLogin","Server":"sip-1","ThisDN":"5001","time":1795770000,"ReferenceID":"seven"}""")]
    [InlineData("""{"id":"EventAgentLogin","Server":"sip-1","ThisDN":"5001","time":1795770000,"Extensions":[1,2]}""")]
    public void An_attribute_of_the_wrong_type_is_a_dead_letter(string json) =>
        AssertDeadLetter(Inputs.Json(json), ValidationErrorCodes.WrongType);

    [Theory]
    [InlineData("99")]
    [InlineData("-1")]
    [InlineData("\"AgentCoffeeBreak\"")]
    public void An_AgentWorkMode_outside_the_enumeration_is_a_dead_letter(string mode) =>
        AssertDeadLetter(Inputs.Json($$"""{"id":"EventAgentReady","AgentWorkMode":{{mode}},"Server":"sip-1","ThisDN":"5001","time":1795770000}"""),
            ValidationErrorCodes.BadEnumValue);
}
