using System.Text;
using static AgentStateProcessor.Schemas.Tests.Validate;

namespace AgentStateProcessor.Schemas.Tests;

/// <summary>The input variations of schemas/README.md, and every way an input can fail.</summary>
public sealed class ValidatorInputTests
{
    private const string LoginAttributes = "\"Server\":\"s1\",\"ThisDN\":\"5001\",\"time\":1795251600";

    private static string Login(string extra = "") => "{\"id\":\"EventAgentLogin\"," + LoginAttributes + extra + "}";

    private static string Ready(string workMode) =>
        "{\"id\":\"EventAgentReady\"," + LoginAttributes + ",\"AgentWorkMode\":" + workMode + "}";

    // --- the event name

    [Fact]
    public void The_event_name_may_be_under_Event()
    {
        var result = Json("{\"Event\":\"EventAgentLogin\"," + LoginAttributes + "}");

        Assert.Equal("EventAgentLogin", result.EventName);
        Assert.Equal("EventAgentLogin", result.Event?.Name);
    }

    [Fact]
    public void The_event_name_may_be_under_id_for_a_T_Library_table_that_calls_it_Event()
    {
        var validated = ValidEvent("{\"id\":\"EventACK\",\"ReferenceID\":1,\"Server\":\"s1\",\"time\":1}");

        Assert.Equal("EventACK", validated.Name);
    }

    [Fact]
    public void The_event_name_may_come_last_and_may_be_escaped()
    {
        var validated = ValidEvent("{" + LoginAttributes + ",\"\\u0069d\":\"EventAgent\\u004cogin\"}");

        Assert.Equal("EventAgentLogin", validated.Name);
    }

    [Fact]
    public void Both_id_and_Event_are_accepted_when_they_agree() =>
        Assert.True(Json("{\"id\":\"EventAgentLogin\",\"Event\":\"EventAgentLogin\"," + LoginAttributes + "}").IsValid);

    [Theory]
    [InlineData("{\"id\":\"EventAgentLogin\",\"Event\":\"EventAgentLogout\"}")]
    [InlineData("{\"id\":\"EventQueueLogout\",\"Event\":\"EventAgentLogout\"}")]
    [InlineData("{\"id\":\"EventQueueLogout\",\"Event\":\"EventMessageWaitingOn\"}")]
    public void An_id_and_an_Event_that_disagree_are_invalid(string json) =>
        Assert.Equal(ValidationErrorCodes.ConflictingEventName, InvalidError(json).Code);

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"ThisDN\":\"5001\"}")]
    [InlineData("{\"ID\":\"EventAgentLogin\"}")]
    public void An_event_without_a_name_is_invalid(string json) =>
        Assert.Equal(ValidationErrorCodes.MissingEventName, InvalidError(json).Code);

    [Theory]
    [InlineData("{\"id\":42}")]
    [InlineData("{\"id\":\"\"}")]
    [InlineData("{\"id\":null}")]
    [InlineData("{\"Event\":{\"name\":\"EventAgentLogin\"}}")]
    [InlineData("{\"id\":\"\\ud800\"}")]
    public void An_event_name_that_is_not_a_non_empty_string_is_invalid(string json) =>
        Assert.Equal(ValidationErrorCodes.BadEventName, InvalidError(json).Code);

    [Theory]
    [InlineData("EventPartyInfo")]
    [InlineData("EventAttachedDataChanged")]
    [InlineData("eventqueuelogout")]
    [InlineData("eventagentlogin")]
    public void An_event_without_a_schema_is_unknown_not_an_error(string name)
    {
        var result = Json("{\"id\":\"" + name + "\",\"ThisDN\":true,\"Whatever\":[1,2]}");

        Assert.Equal(ValidationOutcome.UnknownEvent, result.Outcome);
        Assert.Equal(name, result.EventName);
        Assert.Null(result.Error);
        Assert.Null(result.Event);
    }

    [Theory]
    [InlineData("EventQueueLogout")]
    [InlineData("EventMessageWaitingOn")]
    [InlineData("EventMonitoringNextCall")]
    [InlineData("EventListenReconnected")]
    public void An_extension_event_is_validated_like_any_other(string name)
    {
        var valid = Json("{\"id\":\"" + name + "\",\"ThisDN\":\"5001\",\"ThisQueue\":\"8002\",\"OtherDN\":\"5009\"}");
        var withoutDn = Json("{\"id\":\"" + name + "\",\"ThisQueue\":\"8002\"}");

        Assert.True(valid.IsValid, valid.ToString());
        Assert.Equal(("5001", "8002"), (valid.Event!.Value.ThisDn, valid.Event.Value.ThisQueue));
        Assert.Equal(["OtherDN"], valid.UnlistedAttributes);
        Assert.Equal(ValidationErrorCodes.MissingAttribute, withoutDn.Error!.Code);
    }

    // --- time

    [Theory]
    [InlineData("1795251600", 1_795_251_600_000_000L)]
    [InlineData("1795251600.5", 1_795_251_600_500_000L)]
    [InlineData("1795251600.1234569", 1_795_251_600_123_456L)]
    [InlineData("-1.5", -1_500_000L)]
    [InlineData("{\"timeinSecs\":1795251600,\"timeinuSecs\":42}", 1_795_251_600_000_042L)]
    [InlineData("{\"timeinuSecs\":999999,\"timeinSecs\":1795251600}", 1_795_251_600_999_999L)]
    [InlineData("{\"timeinSecs\":1795251600}", 1_795_251_600_000_000L)]
    [InlineData("\"2026-11-21T09:00:00Z\"", 1_795_251_600_000_000L)]
    [InlineData("\"2026-11-21T10:00:00+01:00\"", 1_795_251_600_000_000L)]
    [InlineData("\"2026-11-21T09:00:00.123456Z\"", 1_795_251_600_123_456L)]
    [InlineData("\"2026-11-21T09:00:00.1234567Z\"", 1_795_251_600_123_456L)]
    [InlineData("\"2026-11-21T09:00:00\"", 1_795_251_600_000_000L)]
    [InlineData("\"2026-11-21 09:00:00Z\"", 1_795_251_600_000_000L)]
    [InlineData("\"2026-11-21T09:00Z\"", 1_795_251_600_000_000L)]
    [InlineData("\"1969-12-31T23:59:59.9999995Z\"", -1L)]
    public void Time_is_accepted_in_every_spelling_and_stored_as_epoch_microseconds(string time, long expectedMicros)
    {
        var validated = ValidEvent("{\"id\":\"EventAgentLogin\",\"Server\":\"s1\",\"ThisDN\":\"5001\",\"time\":" + time + "}");

        Assert.Equal(expectedMicros, validated.TimeMicros);
    }

    [Theory]
    [InlineData("\"yesterday\"", ValidationErrorCodes.BadTimestamp)]
    [InlineData("\"21/11/2026 09:00\"", ValidationErrorCodes.BadTimestamp)]
    [InlineData("\"1795251600\"", ValidationErrorCodes.BadTimestamp)]
    [InlineData("1e20", ValidationErrorCodes.BadTimestamp)]
    [InlineData("253402300800", ValidationErrorCodes.BadTimestamp)]
    [InlineData("{\"timeinSecs\":1,\"timeinuSecs\":1000000}", ValidationErrorCodes.BadTimestamp)]
    [InlineData("{\"timeinSecs\":1,\"timeinuSecs\":-1}", ValidationErrorCodes.BadTimestamp)]
    [InlineData("{\"timeinuSecs\":5}", ValidationErrorCodes.BadTimestamp)]
    [InlineData("{\"timeinSecs\":\"1\"}", ValidationErrorCodes.BadTimestamp)]
    [InlineData("{\"timeinSecs\":1.5}", ValidationErrorCodes.BadTimestamp)]
    [InlineData("{\"timeinSecs\":1,\"timeinSecs\":2}", ValidationErrorCodes.BadTimestamp)]
    [InlineData("{\"seconds\":1}", ValidationErrorCodes.BadTimestamp)]
    [InlineData("true", ValidationErrorCodes.WrongType)]
    [InlineData("[1795251600,0]", ValidationErrorCodes.WrongType)]
    [InlineData("null", ValidationErrorCodes.NullMandatory)]
    public void A_time_that_is_no_instant_is_invalid(string time, string code)
    {
        var error = InvalidError("{\"id\":\"EventAgentLogin\",\"Server\":\"s1\",\"ThisDN\":\"5001\",\"time\":" + time + "}");

        Assert.Equal(code, error.Code);
        Assert.Equal("time", error.Attribute);
    }

    // --- enumerations

    [Theory]
    [InlineData("\"AgentAuxWork\"")]
    [InlineData("4")]
    public void An_enumeration_may_be_its_symbol_or_its_T_Library_number(string workMode)
    {
        Assert.Equal("AgentAuxWork", ValidEvent(Ready(workMode)).AgentWorkMode);
    }

    [Theory]
    [InlineData("CallState", "49", "CallStateDeafened")]
    [InlineData("CallState", "50", "CallStateHeld")]
    [InlineData("CallState", "31", "CallStateBridged")]
    [InlineData("CallType", "4", "CallTypeConsult")]
    public void Enumeration_numbers_follow_T_Library_values_including_gaps(string attribute, string number, string symbol)
    {
        Assert.True(Json(Example("EventOffHook", json => json[attribute] = System.Text.Json.Nodes.JsonNode.Parse(number))).IsValid);
        Assert.True(Json(Example("EventOffHook", json => json[attribute] = symbol)).IsValid);
    }

    [Fact]
    public void AddressTypeOther_is_T_Library_value_99()
    {
        Assert.True(Json(Example("EventRegistered", json => json["InfoStatus"] = 99)).IsValid);
        Assert.Equal(ValidationErrorCodes.BadEnumValue, InvalidError(Example("EventRegistered", json => json["InfoStatus"] = 98)).Code);
    }

    [Theory]
    [InlineData("8")]
    [InlineData("-1")]
    [InlineData("2.5")]
    [InlineData("99999999999999999999")]
    [InlineData("\"AgentBusy\"")]
    [InlineData("\"agentauxwork\"")]
    [InlineData("\"8\"")]
    [InlineData("\"4\"")]
    [InlineData("\"\"")]
    public void An_enumeration_value_that_is_not_one_of_its_symbols_or_numbers_is_a_bad_enum_value(string workMode)
    {
        var error = InvalidError(Ready(workMode));

        Assert.Equal(ValidationErrorCodes.BadEnumValue, error.Code);
        Assert.Equal("AgentWorkMode", error.Attribute);
        Assert.Contains("enumeration AgentWorkMode", error.Message);
    }

    [Theory]
    [InlineData("CallStateDeafened", "32")]
    [InlineData("CallStateDeafened", "48")]
    public void Numbers_in_an_enumerations_gap_are_bad_enum_values(string _, string number) =>
        Assert.Equal(ValidationErrorCodes.BadEnumValue,
            InvalidError(Example("EventOffHook", json => json["CallState"] = System.Text.Json.Nodes.JsonNode.Parse(number))).Code);

    // --- key-value lists

    [Fact]
    public void A_key_value_list_may_hold_scalars_and_nested_values()
    {
        var result = Json(Login("""
            ,"Extensions":{"b":1,"a":"x","c":true,"d":null,"e":2.5,"B":-7,
                          "f":{ "x" : [1, 2,  {"y":"a b"}] },"g":[ "a" , "\"q\"" ],"h":12345678901234567890}
            """));

        Assert.True(result.IsValid, result.ToString());
        Assert.Null(result.Event.Value.ReasonCode);
    }

    [Theory]
    [InlineData("\"Lunch\"", "Lunch")]
    [InlineData("\"Lu\\u006ech\"", "Lunch")]
    [InlineData("42", "42")]
    [InlineData("-7", "-7")]
    [InlineData("2.5", "2.5")]
    [InlineData("12345678901234567890", "1.2345678901234567E+19")]
    [InlineData("true", "true")]
    [InlineData("null", null)]
    [InlineData("{ \"x\" : [1, 2,  {\"y\":\"a b\"}] }", "{\"x\":[1,2,{\"y\":\"a b\"}]}")]
    public void The_reason_code_of_a_key_value_list_is_its_value_as_text(string value, string? expected) =>
        Assert.Equal(expected, ValidEvent(Login(",\"Extensions\":{\"a\":1,\"ReasonCode\":" + value + "}")).ReasonCode);

    [Theory]
    [InlineData("{\"reasoncode\":\"b\",\"ReasonCode\":\"a\",\"REASONCODE\":\"c\"}")]
    [InlineData("{\"REASONCODE\":\"c\",\"reasoncode\":\"b\",\"ReasonCode\":\"a\"}")]
    [InlineData("{\"REASON\\u0043ODE\":\"c\",\"ReasonCode\":\"a\"}")]
    public void Of_reason_code_keys_differing_in_case_the_ordinally_first_wins_whatever_the_input_order(string reasons) =>
        Assert.Equal("c", ValidEvent(Login(",\"Reasons\":" + reasons)).ReasonCode);

    [Fact]
    public void The_reason_code_of_Reasons_comes_before_that_of_Extensions()
    {
        Assert.Equal("r", ValidEvent(Login(",\"Extensions\":{\"ReasonCode\":\"e\"},\"Reasons\":{\"ReasonCode\":\"r\"}")).ReasonCode);
        Assert.Equal("e", ValidEvent(Login(",\"Extensions\":{\"ReasonCode\":\"e\"},\"Reasons\":{\"ReasonCode\":null}")).ReasonCode);
        Assert.Equal("e", ValidEvent(Login(",\"Extensions\":{\"ReasonCode\":\"e\"},\"Reasons\":{}")).ReasonCode);
    }

    [Fact]
    public void A_key_given_twice_is_found_however_it_is_escaped_and_however_long_the_list()
    {
        var longList = string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"k{i}\":{i}"));

        Assert.True(Json(Login(",\"Reasons\":{" + longList + "}")).IsValid);
        Assert.Equal(ValidationErrorCodes.DuplicateKey, InvalidError(Login(",\"Reasons\":{" + longList + ",\"k3\":0}")).Code);
        Assert.Equal(ValidationErrorCodes.DuplicateKey, InvalidError(Login(",\"Reasons\":{" + longList + ",\"k\\u0033\":0}")).Code);
        Assert.Equal(ValidationErrorCodes.DuplicateKey, InvalidError(Login(",\"Reasons\":{\"k\\u0033\":0,\"k3\":1}")).Code);
        Assert.Equal(ValidationErrorCodes.DuplicateKey, InvalidError(Login(",\"Reasons\":{\"k3\":0,\"k\\u0033\":1}")).Code);
        Assert.Equal(ValidationErrorCodes.DuplicateKey, InvalidError(Login(",\"Reasons\":{\"k\\u0033\":0,\"\\u006b3\":1}")).Code);
        Assert.Equal(ValidationErrorCodes.DuplicateKey, InvalidError(Login(",\"Reasons\":{" + longList + ",\"k\\u0033\":0,\"k3\":1}")).Code);
    }

    [Fact]
    public void An_empty_key_value_list_is_valid() =>
        Assert.Null(ValidEvent(Login(",\"Reasons\":{}")).ReasonCode);

    [Theory]
    [InlineData("[]", ValidationErrorCodes.WrongType)]
    [InlineData("\"ReasonCode=Lunch\"", ValidationErrorCodes.WrongType)]
    [InlineData("7", ValidationErrorCodes.WrongType)]
    [InlineData("{\"a\":1,\"a\":2}", ValidationErrorCodes.DuplicateKey)]
    [InlineData("{\"a\":1e999}", ValidationErrorCodes.OutOfRange)]
    [InlineData("{\"a\":\"\\udc00\"}", ValidationErrorCodes.MalformedJson)]
    public void A_key_value_list_that_is_not_an_object_of_distinct_keys_is_invalid(string reasons, string code)
    {
        var error = InvalidError(Login(",\"Reasons\":" + reasons));

        Assert.Equal(code, error.Code);
        Assert.Equal("Reasons", error.Attribute);
    }

    // --- integers and strings

    [Theory]
    [InlineData("17")]
    [InlineData("-5")]
    [InlineData("2147483647")]
    [InlineData("-2147483648")]
    public void An_int_is_a_JSON_integer(string referenceId) =>
        Assert.True(Json(Login(",\"ReferenceID\":" + referenceId)).IsValid);

    [Theory]
    [InlineData("1.5", ValidationErrorCodes.WrongType)]
    [InlineData("1e2", ValidationErrorCodes.WrongType)]
    [InlineData("\"17x\"", ValidationErrorCodes.WrongType)]
    [InlineData("\" 17\"", ValidationErrorCodes.WrongType)]
    [InlineData("\"\"", ValidationErrorCodes.WrongType)]
    [InlineData("{}", ValidationErrorCodes.WrongType)]
    [InlineData("2147483648", ValidationErrorCodes.OutOfRange)]
    [InlineData("\"17\"", ValidationErrorCodes.WrongType)]
    [InlineData("123456789012345678901234567890", ValidationErrorCodes.OutOfRange)]
    public void An_int_that_is_not_an_integer_in_range_is_invalid(string referenceId, string code)
    {
        var error = InvalidError(Login(",\"ReferenceID\":" + referenceId));

        Assert.Equal(code, error.Code);
        Assert.Equal("ReferenceID", error.Attribute);
    }

    [Fact]
    public void A_long_holds_unsigned_32_bit_call_ids() =>
        Assert.True(Json(Example("EventOffHook", json => json["CallID"] = 4_000_000_001L)).IsValid);

    [Theory]
    [InlineData("\"5001\"", "5001")]
    [InlineData("\"\\u0035001\"", "5001")]
    [InlineData("\"Zoë ☎\"", "Zoë ☎")]
    public void A_string_is_a_JSON_string_with_its_escapes_decoded(string thisDn, string expected) =>
        Assert.Equal(expected, ValidEvent("{\"id\":\"EventDNBackInService\",\"ThisDN\":" + thisDn + "}").ThisDn);

    [Theory]
    [InlineData("{}")]
    [InlineData("[\"5001\"]")]
    [InlineData("false")]
    [InlineData("5001")]
    public void A_string_given_an_object_array_boolean_or_number_is_the_wrong_type(string thisDn)
    {
        var error = InvalidError("{\"id\":\"EventDNBackInService\",\"ThisDN\":" + thisDn + "}");

        Assert.Equal(ValidationErrorCodes.WrongType, error.Code);
        Assert.Equal("EventDNBackInService: attribute 'ThisDN' must be a string, not a JSON " + (thisDn[0] switch { '{' => "object", '[' => "array", 'f' => "boolean", _ => "number" }), error.Message);
    }

    // --- presence

    [Fact]
    public void An_optional_attribute_may_be_null_or_absent()
    {
        var validated = ValidEvent(Login(",\"AgentID\":null"));

        Assert.Null(validated.AgentId);
        Assert.Null(validated.ThisQueue);
    }

    [Fact]
    public void Attributes_the_table_does_not_list_are_tolerated_listed_and_left_out()
    {
        var result = Json(Login(",\"OtherDN\":\"x\",\"Place\":{\"n\":[1]},\"ThisQueue\":\"8001\",\"ConnID\":null"));

        Assert.True(result.IsValid);
        Assert.Equal(["OtherDN", "Place", "ConnID"], result.UnlistedAttributes);
        Assert.Null(result.Event.Value.OtherDn);
        Assert.Null(result.Event.Value.ConnId);
        Assert.Equal("8001", result.Event.Value.ThisQueue);
    }

    [Fact]
    public void An_attribute_given_twice_is_invalid()
    {
        var error = InvalidError(Login(",\"ThisDN\":\"5002\""));

        Assert.Equal(ValidationErrorCodes.DuplicateAttribute, error.Code);
        Assert.Equal("EventAgentLogin: attribute 'ThisDN' appears more than once", error.Message);
    }

    [Fact]
    public void EventRegistered_accepts_its_mapped_attributes_under_the_documents_names()
    {
        const string Registered = """
            {"Event":"EventRegistered","Extensions":{},"InfoStatus.AddressType":"AddressTypeQueue",
             "InfoType=AddressInfoAddressType":8,"ReferenceID":3,"Server":"s1","ThisDN":"8001","time":1}
            """;

        Assert.Equal("8001", ValidEvent(Registered).ThisDn);
        var error = InvalidError(Registered.Replace("\"AddressTypeQueue\"", "\"NoSuchAddressType\"", StringComparison.Ordinal));
        Assert.Equal(ValidationErrorCodes.BadEnumValue, error.Code);
        Assert.Equal("InfoStatus_AddressType", error.Attribute);
    }

    [Fact]
    public void A_mapped_attribute_under_two_of_its_names_is_given_twice() =>
        Assert.Equal(ValidationErrorCodes.DuplicateAttribute,
            InvalidError(Example("EventRegistered", json => json["InfoStatus_AddressType"] = "AddressTypeDN")).Code);

    // --- not an event at all

    [Theory]
    [InlineData("[1,2]", "array")]
    [InlineData("\"EventAgentLogin\"", "string")]
    [InlineData("42", "number")]
    [InlineData("null", "null")]
    [InlineData(" true ", "boolean")]
    public void A_JSON_value_that_is_not_an_object_is_invalid(string json, string kind)
    {
        var error = InvalidError(json);

        Assert.Equal(ValidationErrorCodes.NotAnObject, error.Code);
        Assert.Equal($"value is a JSON {kind}, not an object", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("{\"id\":")]
    [InlineData("{\"id\":\"EventAgentLogin\"")]
    [InlineData("{\"id\":\"EventAgentLogin\",}")]
    [InlineData("{\"id\":\"EventAgentLogin\"} x")]
    [InlineData("{\"id\":\"EventAgentLogin\"} {}")]
    [InlineData("{/* c */\"id\":\"EventAgentLogin\"}")]
    [InlineData("{'id':'EventAgentLogin'}")]
    [InlineData("{not json")]
    [InlineData("{\"id\":\"EventQueueLogout\",\"x\":[}")]
    public void Malformed_JSON_is_invalid(string json) =>
        Assert.Equal(ValidationErrorCodes.MalformedJson, InvalidError(json).Code);

    [Fact]
    public void Bytes_that_are_not_UTF_8_are_malformed()
    {
        byte[] value = [.. Encoding.UTF8.GetBytes("{\"id\":\"EventDNBackInService\",\"ThisDN\":\"50"), 0xC3, 0x28, .. "\"}"u8];

        var result = Validator.Validate(value);

        Assert.Equal(ValidationErrorCodes.MalformedJson, result.Error!.Code);
        Assert.Equal("value is not valid UTF-8 text", result.Error.Message);
    }

    [Fact]
    public void A_leading_byte_order_mark_is_ignored()
    {
        byte[] value = [0xEF, 0xBB, 0xBF, .. "{\"id\":\"EventDNBackInService\",\"ThisDN\":\"5001\"}"u8];

        Assert.True(Validator.Validate(value).IsValid);
    }

    [Fact]
    public void A_lone_surrogate_escape_in_a_string_attribute_is_malformed()
    {
        var error = InvalidError("{\"id\":\"EventDNBackInService\",\"ThisDN\":\"\\ud800\"}");

        Assert.Equal(ValidationErrorCodes.MalformedJson, error.Code);
        Assert.Equal("ThisDN", error.Attribute);
    }

    [Theory]
    [InlineData(63, ValidationOutcome.Valid)]
    [InlineData(65, ValidationOutcome.Invalid)]
    [InlineData(100_000, ValidationOutcome.Invalid)]
    public void Nesting_deeper_than_64_levels_is_malformed(int depth, ValidationOutcome outcome)
    {
        // The event object is level 1 and Extensions level 2, so depth-2 nested arrays reach the given depth.
        var nested = new string('[', depth - 2) + new string(']', depth - 2);

        var result = Json("{\"id\":\"EventDNBackInService\",\"ThisDN\":\"5001\",\"Extensions\":{\"deep\":" + nested + "}}");

        Assert.Equal(outcome, result.Outcome);
        if (outcome == ValidationOutcome.Invalid) Assert.Equal(ValidationErrorCodes.MalformedJson, result.Error!.Code);
    }

    [Fact]
    public void Every_error_code_is_distinct_kebab_case()
    {
        Assert.Equal(ValidationErrorCodes.All.Count, ValidationErrorCodes.All.Distinct().Count());
        Assert.All(ValidationErrorCodes.All, code => Assert.Matches("^[a-z]+(-[a-z]+)*$", code));
    }
}
