using Avro;
using Newtonsoft.Json.Linq;
using AgentStateProcessor.Schemas.Generation;
using AgentStateProcessor.Schemas.Tables;

namespace AgentStateProcessor.Schemas.Tests;

public sealed class SchemaGenerationTests
{
    private static readonly AttributeTableSet Tables = AttributeTableSet.LoadDirectory(Repository.TablesDirectory);

    [Fact]
    public void Tables_describe_the_32_events_of_the_five_documents()
    {
        var perDocument = Tables.Events.GroupBy(e => e.Document).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(32, Tables.Events.Count);
        Assert.Equal(14, perDocument["004_d2c30b580052b09c.txt"]);
        Assert.Equal(8, perDocument["000_4fb386bda0800b95.txt"]);
        Assert.Equal(4, perDocument["001_d2416c8650901913.txt"]);
        Assert.Equal(4, perDocument["002_d1ce594f2521e31a.txt"]);
        Assert.Equal(2, perDocument["003_36bacc219ea001c3.txt"]);
    }

    [Fact]
    public void Every_event_the_seed_documents_head_has_a_table()
    {
        Assert.Equal(5, Directory.GetFiles(Repository.SeedsDirectory, "*.txt").Length);
        // Event sections are headed by their name alone on a line (004 with "## ").
        var headed = Directory.GetFiles(Repository.SeedsDirectory, "*.txt")
            .SelectMany(File.ReadLines)
            .Select(line => line.TrimStart('#', ' ').Trim())
            .Where(line => System.Text.RegularExpressions.Regex.IsMatch(line, "^Event[A-Za-z]+$"))
            .ToHashSet(StringComparer.Ordinal);
        var misspelled = Tables.Events.SelectMany(e => e.DocumentNames ?? []).ToHashSet(StringComparer.Ordinal);
        var tabled = Tables.Events.Select(e => e.Name).ToHashSet(StringComparer.Ordinal);

        var untabled = headed.Where(name => !tabled.Contains(name) && !misspelled.Contains(name)).ToList();
        Assert.True(untabled.Count == 0, "Headed in a seed but without a table: " + string.Join(", ", untabled));
    }

    [Fact]
    public void The_seeds_misspelled_DND_events_carry_their_real_names()
    {
        Assert.Contains("EventDNDOOn", Tables.Events.Single(e => e.Name == "EventDNDOn").DocumentNames!);
        Assert.Contains("EventDNOff", Tables.Events.Single(e => e.Name == "EventDNDOff").DocumentNames!);
        Assert.DoesNotContain(Tables.Events, e => e.Name is "EventDNDOOn" or "EventDNOn" or "EventDNOff");
    }

    [Theory]
    [InlineData("EventAgentReady")]
    [InlineData("EventAgentNotReady")]
    public void AgentID_named_only_by_the_prose_is_added_as_optional(string eventName)
    {
        var agentId = Tables.Events.Single(e => e.Name == eventName).Attributes.Single(a => a.Name == "AgentID");

        Assert.True(agentId.FromProse);
        Assert.False(agentId.Mandatory);
        Assert.Contains("prose", agentId.Note);
    }

    [Fact]
    public void EventRegistered_maps_the_document_notation_to_legal_names_and_keeps_the_original()
    {
        var schema = Generated("EventRegistered");

        Assert.Equal("InfoStatus.AddressType", DocumentNameOf(schema, "InfoStatus_AddressType"));
        Assert.Equal("InfoType=AddressInfoAddressType", DocumentNameOf(schema, "InfoType_AddressInfoAddressType"));
        Assert.Equal("Agent ID", DocumentNameOf(Generated("EventAgentLogin"), "AgentID"));
    }

    [Fact]
    public void Committed_event_schemas_are_exactly_what_the_generator_produces()
    {
        var generated = EventSchemaGenerator.GenerateFromDirectory(Repository.TablesDirectory);
        var committed = Directory.GetFiles(Repository.EventsDirectory, "*.avsc")
            .ToDictionary(path => Path.GetFileName(path), File.ReadAllText, StringComparer.Ordinal);

        Assert.Equal(generated.Keys.Order(StringComparer.Ordinal), committed.Keys.Order(StringComparer.Ordinal));
        foreach (var (fileName, text) in generated)
        {
            Assert.True(text == committed[fileName],
                $"schemas/events/{fileName} differs from the tables; run: dotnet run --project tools/AgentStateProcessor.SchemaGenerator");
        }
    }

    [Fact]
    public void Generated_schemas_are_pretty_printed_with_a_trailing_newline()
    {
        foreach (var text in EventSchemaGenerator.GenerateFromDirectory(Repository.TablesDirectory).Values)
        {
            Assert.StartsWith("{\n  \"type\": \"record\",\n", text);
            Assert.EndsWith("}\n", text);
            Assert.DoesNotContain("\r", text);
        }
    }

    [Fact]
    public void Every_event_schema_is_a_record_named_as_its_event_with_fields_named_and_ordered_as_its_table()
    {
        foreach (var table in Tables.Events)
        {
            var schema = Generated(table.Name);

            Assert.Equal(table.Name, schema.Name);
            Assert.Equal(EventSchemaGenerator.Namespace, schema.Namespace);
            Assert.Equal(table.Attributes.Select(a => a.Name), schema.Fields.Select(f => f.Name));
        }
    }

    [Fact]
    public void Mandatory_attributes_are_their_type_and_optional_ones_a_null_union_defaulting_to_null()
    {
        foreach (var table in Tables.Events)
        {
            var schema = Generated(table.Name);
            foreach (var attribute in table.Attributes)
            {
                var field = schema[attribute.Name];
                var isNullUnion = field.Schema is UnionSchema { Count: 2 } union && union.Schemas[0].Tag == Schema.Type.Null;
                Assert.True(attribute.Mandatory != isNullUnion, $"{table.Name}.{attribute.Name}: mandatory={attribute.Mandatory} but the schema is {field.Schema}");
                Assert.Equal(!attribute.Mandatory, field.DefaultValue is not null);
                if (field.DefaultValue is not null) Assert.Equal(JTokenType.Null, field.DefaultValue.Type);
            }
        }
    }

    [Fact]
    public void Attribute_types_follow_the_type_table()
    {
        var login = Generated("EventAgentLogin");
        var ready = Generated("EventAgentReady");

        Assert.Equal(Schema.Type.String, login["ThisDN"].Schema.Tag);
        var time = Assert.IsType<LogicalSchema>(login["time"].Schema);
        Assert.Equal(("timestamp-micros", Schema.Type.Long), (time.LogicalTypeName, time.BaseSchema.Tag));
        Assert.Equal(Schema.Type.Int, BranchOf(login["ReferenceID"]).Tag);
        var extensions = Assert.IsType<MapSchema>(BranchOf(login["Extensions"]));
        Assert.Equal(
            [Schema.Type.Null, Schema.Type.Boolean, Schema.Type.Long, Schema.Type.Double, Schema.Type.String],
            Assert.IsType<UnionSchema>(extensions.ValueSchema).Schemas.Select(b => b.Tag));
        var workMode = Assert.IsType<EnumSchema>(ready["AgentWorkMode"].Schema);
        Assert.Equal(
            ["AgentWorkModeUnknown", "AgentManualIn", "AgentAutoIn", "AgentAfterCallWork", "AgentAuxWork", "AgentNoCallDisconnect", "AgentWalkAway", "AgentReturnBack"],
            workMode.Symbols);
    }

    [Fact]
    public void Every_committed_event_schema_parses_with_Apache_Avro_as_the_record_of_its_file_name()
    {
        foreach (var path in Directory.GetFiles(Repository.EventsDirectory, "*.avsc"))
        {
            var schema = Assert.IsType<RecordSchema>(Schema.Parse(File.ReadAllText(path)));
            Assert.Equal(Path.GetFileNameWithoutExtension(path), schema.Name);
        }
    }

    /// <summary>
    /// python3-avro 1.11.1 writes a primitive that carries a logical type (our timestamp-micros <c>time</c>) as
    /// <c>{"type":"long"}</c> in canonical form; the specification's [PRIMITIVES] and [STRIP] rules, Java and
    /// Apache.Avro make it <c>"long"</c>. Python's text is compared after that one rule (and only it) is applied.
    /// </summary>
    [Fact]
    public void Every_committed_schema_parses_with_python_avro_to_our_canonical_form_and_fingerprint()
    {
        var paths = Directory.GetFiles(Repository.EventsDirectory, "*.avsc")
            .Concat(Directory.GetFiles(Repository.SnapshotsDirectory, "*.avsc"))
            .Order(StringComparer.Ordinal).ToArray();

        var parsed = PythonSchemaParser.ParseAll(paths);

        Assert.Equal(34, parsed.Count);
        foreach (var path in paths)
        {
            var python = parsed[path];
            Assert.True(python.Error is null, $"{path}: {python.Error}");
            var ours = (RecordSchema)Schema.Parse(File.ReadAllText(path));
            var canonical = SchemaNormalization.ToParsingForm(ours);
            Assert.Equal(ours.Fullname, python.FullName);
            Assert.Equal(python.SpecCanonical, canonical);
            Assert.Equal(python.SpecFingerprint, SchemaNormalization.ParsingFingerprint64(ours).ToString("x16"));
            Assert.Equal(python.Canonical == canonical, !python.Canonical!.Contains("{\"type\":\"long\"}", StringComparison.Ordinal));
        }
        Assert.Contains(parsed.Values, python => python.Canonical != python.SpecCanonical);
    }

    /// <summary>
    /// What Apache.Avro 1.12.2 makes of a primitive with a logical type in Parsing Canonical Form: the bare name, as
    /// the specification and the Java implementation do (schemas/README.md).
    /// </summary>
    [Fact]
    public void Apache_Avro_strips_a_logical_type_to_the_bare_primitive_in_canonical_form()
    {
        var schema = Schema.Parse("""{"type":"record","name":"R","fields":[{"name":"t","type":{"type":"long","logicalType":"timestamp-micros"}}]}""");

        Assert.Equal("""{"name":"R","type":"record","fields":[{"name":"t","type":"long"}]}""", SchemaNormalization.ToParsingForm(schema));
    }

    private static RecordSchema Generated(string eventName) =>
        (RecordSchema)Schema.Parse(EventSchemaGenerator.Generate(Tables)[eventName + ".avsc"]);

    private static Schema BranchOf(Field field) => ((UnionSchema)field.Schema).Schemas[1];

    private static string? DocumentNameOf(RecordSchema schema, string fieldName) =>
        schema[fieldName].GetProperty("documentName") is { } json ? System.Text.Json.JsonSerializer.Deserialize<string>(json) : null;
}
