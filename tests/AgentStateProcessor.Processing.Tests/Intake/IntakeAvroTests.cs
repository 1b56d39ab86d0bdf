using Avro;
using Avro.Generic;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Tests.Support;
using AgentStateProcessor.Schemas;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.Processing.Tests.Intake;

/// <summary>Values in the Confluent wire format (magic 0, big-endian schema id, Avro body), written by Apache.Avro.</summary>
public sealed class IntakeAvroTests
{
    private const int LoginSchemaId = 17;
    internal static readonly RecordSchema LoginSchema = AvroInputs.EventFile("EventAgentLogin");
    private static readonly DateTime LoginTime = DateTime.UnixEpoch.AddTicks(1_795_770_000_250_000L * TimeSpan.TicksPerMicrosecond);

    internal static GenericRecord Login(RecordSchema schema)
    {
        var login = new GenericRecord(schema);
        login.Add("id", "EventAgentLogin");
        login.Add("Server", "sip-server-1");
        login.Add("ThisDN", "5001");
        login.Add("time", LoginTime);
        login.Add("AgentID", "agent42");
        login.Add("CustomerID", "tenant1");
        login.Add("Extensions", new Dictionary<string, object> { ["reasonCode"] = 42L });
        login.Add("ThisQueue", "8001");
        return login;
    }

    internal static byte[] FramedLogin(int schemaId = LoginSchemaId) => AvroInputs.Framed(schemaId, LoginSchema, Login(LoginSchema));

    internal static EventIntake IntakeKnowing(int id, Schema schema) =>
        Inputs.Intake(AvroInputs.Decoder(new Dictionary<int, Schema> { [id] = schema }));

    /// <summary>A writer schema of our event's name whose field <paramref name="field"/> is declared as <paramref name="type"/>.</summary>
    private static RecordSchema LoginWith(string field, string type) =>
        (RecordSchema)Schema.Parse(System.IO.File.ReadAllText(RepositoryRoot.PathOf("schemas", "events", "EventAgentLogin.avsc"))
            .Replace($"\"name\": \"{field}\",\n      \"type\": \"string\"", $"\"name\": \"{field}\",\n      \"type\": {type}", StringComparison.Ordinal));

    [Fact]
    public void A_framed_value_without_a_schema_registry_is_a_dead_letter()
    {
        var result = Inputs.Intake().Read(Inputs.Bytes(FramedLogin()));

        Assert.Equal(IntakeOutcome.DeadLetter, result.Outcome);
        Assert.Equal(IntakeCodes.UnknownSchemaId, result.Code);
        Assert.Contains("no schema registry", result.Reason);
    }

    [Fact]
    public void The_decoder_is_given_the_whole_value_and_the_topic_and_its_failure_is_the_dead_letter()
    {
        var calls = new List<(byte[] Value, string Topic)>();
        var intake = Inputs.Intake((value, topic) =>
        {
            calls.Add((value.ToArray(), topic));
            return FramedAvroResult.Failed(IntakeCodes.UnknownSchemaId, "schema id 123456 is not known to the schema registry");
        });
        var framed = FramedLogin(schemaId: 123456);

        var result = intake.Read(Inputs.Bytes(framed));

        Assert.Equal(IntakeOutcome.DeadLetter, result.Outcome);
        Assert.Equal(IntakeCodes.UnknownSchemaId, result.Code);
        Assert.Equal("schema id 123456 is not known to the schema registry", result.Reason);
        var call = Assert.Single(calls);
        Assert.Equal(framed, call.Value);
        Assert.Equal(Inputs.Topic, call.Topic);
    }

    [Theory]
    [InlineData(IntakeCodes.AvroDecodeFailed)]
    [InlineData(IntakeCodes.NotAnEventRecord)]
    public void Each_decoder_failure_keeps_its_code(string code)
    {
        var result = Inputs.Intake((_, _) => FramedAvroResult.Failed(code, "why")).Read(Inputs.Bytes(FramedLogin()));

        Assert.Equal((IntakeOutcome.DeadLetter, code, "why"), (result.Outcome, result.Code, result.Reason));
    }

    [Fact]
    public void A_framed_valid_login_is_an_event_with_the_login_attributes()
    {
        var result = IntakeKnowing(LoginSchemaId, LoginSchema).Read(Inputs.Bytes(FramedLogin(), key: "tenant1:agent42", partition: 1, offset: 9));

        Assert.Equal(IntakeOutcome.Event, result.Outcome);
        var e = result.Event!;
        Assert.Equal("EventAgentLogin", e.Name);
        Assert.Equal(EventKind.AgentLogin, e.Kind);
        Assert.Equal(("tenant1", "agent42"), (e.TenantId, e.AgentId));
        Assert.Equal("5001", e.ThisDn);
        Assert.Equal("8001", e.ThisQueue);
        Assert.Equal("42", e.ReasonCode);
        Assert.Equal(1_795_770_000_250_000L, e.TimeMicros);
        Assert.Equal(new InputPosition(Inputs.Topic, 1, 9), e.Position);
        Assert.Equal(0, result.UnlistedAttributeCount);
    }

    [Fact]
    public void A_framed_login_without_a_key_takes_its_identity_from_CustomerID_and_AgentID()
    {
        var result = IntakeKnowing(LoginSchemaId, LoginSchema).Read(Inputs.Bytes(FramedLogin(), key: null));

        Assert.Equal("tenant1:agent42", result.Event?.AgentKey);
    }

    [Fact]
    public void A_framed_ready_carries_its_work_mode_symbol()
    {
        var schema = AvroInputs.EventFile("EventAgentReady");
        var ready = new GenericRecord(schema);
        ready.Add("id", "EventAgentReady");
        ready.Add("Server", "s1");
        ready.Add("ThisDN", "5001");
        ready.Add("time", LoginTime);
        ready.Add("AgentWorkMode", new GenericEnum((EnumSchema)schema["AgentWorkMode"].Schema, "AgentAuxWork"));

        var result = IntakeKnowing(2, schema).Read(Inputs.Bytes(AvroInputs.Framed(2, schema, ready)));

        Assert.Equal(AgentWorkMode.AgentAuxWork, result.Event?.WorkMode);
    }

    [Fact]
    public void A_framed_record_of_an_event_no_table_describes_is_skipped()
    {
        var schema = (RecordSchema)Schema.Parse("""{"type":"record","name":"EventPartyInfo","fields":[{"name":"ThisDN","type":"string"}]}""");
        var record = new GenericRecord(schema);
        record.Add("ThisDN", "5001");

        var result = IntakeKnowing(4, schema).Read(Inputs.Bytes(AvroInputs.Framed(4, schema, record)));

        Assert.Equal(IntakeOutcome.Skipped, result.Outcome);
        Assert.Equal(IntakeCodes.UnknownEvent, result.Code);
        Assert.Contains("EventPartyInfo", result.Reason);
    }

    /// <summary>
    /// A known event that breaks its schema (a missing mandatory attribute) is a dead letter,
    /// whatever its encoding. A writer schema named like the event but without ThisDN must not
    /// fold into state as a login on no DN.
    /// </summary>
    [Fact]
    public void A_framed_record_of_a_known_event_missing_a_mandatory_attribute_is_a_dead_letter()
    {
        var schema = (RecordSchema)Schema.Parse(
            """{"type":"record","name":"EventAgentLogin","namespace":"agentstateprocessor.events","fields":[{"name":"id","type":"string"},{"name":"AgentID","type":"string"}]}""");
        var record = new GenericRecord(schema);
        record.Add("id", "EventAgentLogin");
        record.Add("AgentID", "agent42");

        var result = IntakeKnowing(5, schema).Read(Inputs.Bytes(AvroInputs.Framed(5, schema, record)));

        Assert.Equal(IntakeOutcome.DeadLetter, result.Outcome);
        Assert.Equal(ValidationErrorCodes.MissingAttribute, result.Code);
        Assert.Equal("EventAgentLogin: mandatory attribute 'Server' is missing", result.Reason);
    }

    [Fact]
    public void A_framed_record_whose_mandatory_attribute_is_null_is_a_dead_letter()
    {
        var schema = LoginWith("ThisDN", """["null", "string"]""");
        var record = Login(schema);
        record.Add("ThisDN", null);

        var result = IntakeKnowing(6, schema).Read(Inputs.Bytes(AvroInputs.Framed(6, schema, record)));

        Assert.Equal(ValidationErrorCodes.MissingAttribute, result.Code);
        Assert.Contains("'ThisDN'", result.Reason);
    }

    [Fact]
    public void A_framed_record_of_a_known_event_with_an_attribute_of_another_type_is_a_dead_letter()
    {
        var schema = LoginWith("ThisDN", "\"int\"");
        Assert.Equal(Schema.Type.Int, schema["ThisDN"].Schema.Tag);
        var record = Login(schema);
        record.Add("ThisDN", 5001);

        var result = IntakeKnowing(6, schema).Read(Inputs.Bytes(AvroInputs.Framed(6, schema, record)));

        Assert.Equal(IntakeOutcome.DeadLetter, result.Outcome);
        Assert.Equal(ValidationErrorCodes.WrongType, result.Code);
        Assert.Equal("EventAgentLogin: attribute 'ThisDN' must be a string, not a value of type Int32", result.Reason);
    }

    [Fact]
    public void A_framed_enum_symbol_our_enumeration_lacks_is_the_wrong_type()
    {
        var json = System.IO.File.ReadAllText(RepositoryRoot.PathOf("schemas", "events", "EventAgentReady.avsc"))
            .Replace("\"AgentReturnBack\"", "\"AgentReturnBack\", \"AgentOnMars\"", StringComparison.Ordinal);
        var writer = (RecordSchema)Schema.Parse(json);
        var ready = new GenericRecord(writer);
        ready.Add("id", "EventAgentReady");
        ready.Add("Server", "s1");
        ready.Add("ThisDN", "5001");
        ready.Add("time", LoginTime);
        ready.Add("AgentWorkMode", new GenericEnum((EnumSchema)writer["AgentWorkMode"].Schema, "AgentOnMars"));

        var result = IntakeKnowing(7, writer).Read(Inputs.Bytes(AvroInputs.Framed(7, writer, ready)));

        Assert.Equal(ValidationErrorCodes.WrongType, result.Code);
        Assert.Contains("AgentOnMars", result.Reason);
    }

    [Fact]
    public void A_framed_time_may_be_a_plain_long_of_microseconds_or_an_int_where_we_have_a_long()
    {
        var schema = (RecordSchema)Schema.Parse(System.IO.File.ReadAllText(RepositoryRoot.PathOf("schemas", "events", "EventAgentLogin.avsc"))
            .Replace("\"logicalType\": \"timestamp-micros\"", "\"doc\": \"no logical type\"", StringComparison.Ordinal));
        Assert.IsType<PrimitiveSchema>(schema["time"].Schema);
        var record = Login(schema);
        record.Add("time", 1_795_770_000_250_000L);

        var result = IntakeKnowing(9, schema).Read(Inputs.Bytes(AvroInputs.Framed(9, schema, record)));

        Assert.Equal(1_795_770_000_250_000L, result.Event?.TimeMicros);
    }

    [Fact]
    public void A_framed_record_with_attributes_the_table_does_not_list_is_an_event_and_they_are_counted()
    {
        var json = System.IO.File.ReadAllText(RepositoryRoot.PathOf("schemas", "events", "EventAgentLogin.avsc"));
        var schema = (RecordSchema)Schema.Parse(json.Replace("\"fields\": [", "\"fields\": [{\"name\":\"Site\",\"type\":\"string\"},", StringComparison.Ordinal));
        var record = Login(schema);
        record.Add("Site", "eu-1");

        var result = IntakeKnowing(8, schema).Read(Inputs.Bytes(AvroInputs.Framed(8, schema, record)));

        Assert.Equal(IntakeOutcome.Event, result.Outcome);
        Assert.Equal("5001", result.Event!.ThisDn);
        Assert.Equal(1, result.UnlistedAttributeCount);
    }

    [Fact]
    public void A_value_that_starts_with_zero_but_is_shorter_than_the_frame_header_is_read_as_JSON_and_is_malformed()
    {
        var decoderCalls = 0;
        var intake = Inputs.Intake((_, _) =>
        {
            decoderCalls++;
            return FramedAvroResult.Failed(IntakeCodes.AvroDecodeFailed, "not expected");
        });

        var result = intake.Read(Inputs.Bytes([0, 0, 0, 17]));

        Assert.Equal(IntakeOutcome.DeadLetter, result.Outcome);
        Assert.Equal(ValidationErrorCodes.MalformedJson, result.Code);
        Assert.Equal(0, decoderCalls);
    }

    /// <summary>
    /// A framed login with three bytes of its Server text deleted, found by the byte mutation test: ThisDN's length
    /// is then read from the event time's bytes, and Apache.Avro allocated 1.2 GB for it before failing to read it.
    /// </summary>
    private const string LoginWithALengthFromTheTimeBytes =
        "00000000111E4576656E744167656E744C6F67696E1865727665722D310835303031A0D2B48FC9CFB006020E6167656E743432020E74656E616E7431020214726561736F6E436F64650454000000020838303031";

    [Fact]
    public void A_length_beyond_the_value_is_a_dead_letter_before_anything_of_that_length_is_allocated()
    {
        var intake = IntakeKnowing(LoginSchemaId, LoginSchema);
        var value = Convert.FromHexString(LoginWithALengthFromTheTimeBytes);
        intake.Read(Inputs.Bytes(FramedLogin()));
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var result = intake.Read(Inputs.Bytes(value));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(allocated < 1024 * 1024, $"{allocated} bytes allocated to read a value of {value.Length}");
        Assert.Equal(IntakeOutcome.DeadLetter, result.Outcome);
        Assert.Equal(IntakeCodes.AvroDecodeFailed, result.Code);
        Assert.Contains("field 'ThisDN': string of", result.Reason);
    }
}
