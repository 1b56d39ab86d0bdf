using AgentStateProcessor.Avro;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Tests.Support;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Processing.Tests.Intake;

/// <summary>Values in the Confluent wire format (magic 0, big-endian schema id, Avro body).</summary>
public sealed class IntakeAvroTests
{
    private const int LoginSchemaId = 17;
    private static readonly RecordSchema LoginSchema = AvroFile("schemas/events/EventAgentLogin.avsc");

    internal static RecordSchema AvroFile(string relativePath) =>
        (RecordSchema)AvroSchema.Parse(File.ReadAllText(Repository.PathOf(relativePath.Split('/'))));

    internal static GenericRecord Login(RecordSchema schema)
    {
        var login = new GenericRecord(schema);
        login["id"] = "EventAgentLogin";
        login["Server"] = "sip-server-1";
        login["ThisDN"] = "5001";
        login["time"] = 1_795_770_000_250_000L;
        login["AgentID"] = "agent42";
        login["CustomerID"] = "tenant1";
        login["Extensions"] = new Dictionary<string, object?> { ["reasonCode"] = 42L };
        login["ThisQueue"] = "8001";
        return login;
    }

    internal static byte[] FramedLogin(int schemaId = LoginSchemaId) =>
        ConfluentWireFormat.Frame(schemaId, AvroBinary.Encode(LoginSchema, Login(LoginSchema)));

    private static EventIntake IntakeKnowing(int id, AvroSchema schema) => Inputs.Intake(requested => requested == id ? schema : null);

    [Fact]
    public void A_framed_value_without_a_schema_registry_is_a_dead_letter()
    {
        var result = Inputs.Intake().Read(Inputs.Bytes(FramedLogin()));

        Assert.Equal(IntakeOutcome.DeadLetter, result.Outcome);
        Assert.Equal(IntakeCodes.UnknownSchemaId, result.Code);
        Assert.Contains("no schema registry", result.Reason);
    }

    [Fact]
    public void A_framed_value_whose_schema_id_the_registry_does_not_know_is_a_dead_letter()
    {
        var requested = new List<int>();
        var intake = Inputs.Intake(id =>
        {
            requested.Add(id);
            return null;
        });

        var result = intake.Read(Inputs.Bytes(FramedLogin(schemaId: 123456)));

        Assert.Equal(IntakeOutcome.DeadLetter, result.Outcome);
        Assert.Equal(IntakeCodes.UnknownSchemaId, result.Code);
        Assert.Equal([123456], requested);
        Assert.Contains("123456", result.Reason);
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
    }

    [Fact]
    public void A_framed_login_without_a_key_takes_its_identity_from_CustomerID_and_AgentID()
    {
        var result = IntakeKnowing(LoginSchemaId, LoginSchema).Read(Inputs.Bytes(FramedLogin(), key: null));

        Assert.Equal("tenant1:agent42", result.Event?.AgentKey);
    }

    [Fact]
    public void A_framed_value_with_a_truncated_body_fails_to_decode()
    {
        var framed = FramedLogin();
        var intake = IntakeKnowing(LoginSchemaId, LoginSchema);

        for (var length = ConfluentWireFormat.HeaderLength; length < framed.Length; length++)
        {
            var result = intake.Read(Inputs.Bytes(framed[..length]));
            Assert.True(result.Outcome == IntakeOutcome.DeadLetter, $"{length} of {framed.Length} bytes: {result.Outcome}");
            Assert.Equal(IntakeCodes.AvroDecodeFailed, result.Code);
        }
    }

    [Fact]
    public void A_framed_value_with_bytes_after_the_record_fails_to_decode()
    {
        var result = IntakeKnowing(LoginSchemaId, LoginSchema).Read(Inputs.Bytes([.. FramedLogin(), 0x02]));

        Assert.Equal(IntakeCodes.AvroDecodeFailed, result.Code);
    }

    [Fact]
    public void A_framed_value_whose_writer_schema_is_not_a_record_is_a_dead_letter()
    {
        var stringSchema = AvroSchema.Parse("\"string\"");
        var value = ConfluentWireFormat.Frame(3, AvroBinary.Encode(stringSchema, "EventAgentLogin"));

        var result = IntakeKnowing(3, stringSchema).Read(Inputs.Bytes(value));

        Assert.Equal(IntakeOutcome.DeadLetter, result.Outcome);
        Assert.Equal(IntakeCodes.NotAnEventRecord, result.Code);
    }

    [Fact]
    public void A_framed_record_of_an_event_the_documents_do_not_describe_is_skipped()
    {
        var schema = (RecordSchema)AvroSchema.Parse("""{"type":"record","name":"EventQueueLogout","fields":[{"name":"ThisDN","type":"string"}]}""");
        var record = new GenericRecord(schema) { ["ThisDN"] = "5001" };

        var result = IntakeKnowing(4, schema).Read(Inputs.Bytes(ConfluentWireFormat.Frame(4, AvroBinary.Encode(schema, record))));

        Assert.Equal(IntakeOutcome.Skipped, result.Outcome);
        Assert.Equal(IntakeCodes.UnknownEvent, result.Code);
    }

    /// <summary>
    /// A known event that breaks its schema (a missing mandatory attribute) is
    /// a dead letter, whatever its encoding. A writer schema named like the event but without
    /// ThisDN must not fold into state as a login on no DN.
    /// </summary>
    [Fact]
    public void A_framed_record_of_a_known_event_missing_a_mandatory_attribute_is_a_dead_letter()
    {
        var schema = (RecordSchema)AvroSchema.Parse(
            """{"type":"record","name":"EventAgentLogin","namespace":"agentstateprocessor.events","fields":[{"name":"id","type":"string"},{"name":"AgentID","type":"string"}]}""");
        var record = new GenericRecord(schema) { ["id"] = "EventAgentLogin", ["AgentID"] = "agent42" };

        var result = IntakeKnowing(5, schema).Read(Inputs.Bytes(ConfluentWireFormat.Frame(5, AvroBinary.Encode(schema, record))));

        Assert.Equal(IntakeOutcome.DeadLetter, result.Outcome);
        Assert.Equal(ValidationErrorCodes.MissingAttribute, result.Code);
    }

    [Fact]
    public void A_framed_record_of_a_known_event_with_an_attribute_of_another_type_is_a_dead_letter()
    {
        var schema = (RecordSchema)AvroSchema.Parse(File.ReadAllText(Repository.PathOf("schemas", "events", "EventAgentLogin.avsc"))
            .Replace("\"name\": \"ThisDN\",\n      \"type\": \"string\"", "\"name\": \"ThisDN\",\n      \"type\": \"int\"", StringComparison.Ordinal));
        Assert.Equal(AvroType.Int, schema.GetField("ThisDN")!.Schema.Type);
        var record = Login(schema);
        record["ThisDN"] = 5001;

        var result = IntakeKnowing(6, schema).Read(Inputs.Bytes(ConfluentWireFormat.Frame(6, AvroBinary.Encode(schema, record))));

        Assert.Equal(IntakeOutcome.DeadLetter, result.Outcome);
        Assert.Equal(ValidationErrorCodes.WrongType, result.Code);
    }

    [Fact]
    public void A_framed_record_with_attributes_the_table_does_not_list_is_an_event_and_they_are_counted()
    {
        var json = File.ReadAllText(Repository.PathOf("schemas", "events", "EventAgentLogin.avsc"));
        var schema = (RecordSchema)AvroSchema.Parse(json.Replace("\"fields\": [", "\"fields\": [{\"name\":\"Site\",\"type\":\"string\"},", StringComparison.Ordinal));
        var record = Login(schema);
        record["Site"] = "eu-1";

        var result = IntakeKnowing(8, schema).Read(Inputs.Bytes(ConfluentWireFormat.Frame(8, AvroBinary.Encode(schema, record))));

        Assert.Equal(IntakeOutcome.Event, result.Outcome);
        Assert.Equal("5001", result.Event!.ThisDn);
        Assert.Equal(1, result.UnlistedAttributeCount);
    }

    [Fact]
    public void A_value_that_starts_with_zero_but_is_shorter_than_the_frame_header_is_read_as_JSON_and_is_malformed()
    {
        var result = IntakeKnowing(LoginSchemaId, LoginSchema).Read(Inputs.Bytes([0, 0, 0, 17]));

        Assert.Equal(IntakeOutcome.DeadLetter, result.Outcome);
        Assert.Equal(ValidationErrorCodes.MalformedJson, result.Code);
    }
}
