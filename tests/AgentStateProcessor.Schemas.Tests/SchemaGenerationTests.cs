using Avro;
using Newtonsoft.Json.Linq;
using AgentStateProcessor.Schemas.Generation;
using AgentStateProcessor.Schemas.Tables;

namespace AgentStateProcessor.Schemas.Tests;

public sealed partial class SchemaGenerationTests
{
    private static readonly AttributeTableSet Tables = AttributeTableSet.LoadDirectory(Repository.TablesDirectory);

    private static readonly string[] ExtensionEvents =
    [
        "EventQueueLogout", "EventMessageWaitingOn", "EventMessageWaitingOff", "EventMonitoringNextCall",
        "EventMonitoringCancelled", "EventListenDisconnected", "EventListenReconnected",
    ];

    [Fact]
    public void Tables_describe_the_32_events_of_the_five_source_pages()
    {
        var documented = Tables.Events.Where(e => !e.IsExtension).ToList();
        var perPage = documented.GroupBy(e => e.Source.Url!).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(32, documented.Count);
        Assert.Equal(5, perPage.Count);
        Assert.Equal(14, perPage["https://all.docs.genesys.com/VM/Current/VMEventsandModels/AgentStateandDNEvents"]);
        Assert.Equal(8, perPage["https://docs.genesys.com/Documentation/System/latest/GenEM/SpecialEvents"]);
        Assert.Equal(4, perPage["https://docs.genesys.com/Documentation/System/latest/GenEM/GeneralEvents"]);
        Assert.Equal(4, perPage["https://docs.genesys.com/Documentation/System/latest/GenEM/TLibraryCallBasedEvents"]);
        Assert.Equal(2, perPage["https://docs.genesys.com/Documentation/System/latest/GenEM/RegistrationEvents"]);
    }

    [Fact]
    public void The_extension_tables_add_the_seven_events_the_topic_carries_beyond_the_documents()
    {
        var extensions = Tables.Events.Where(e => e.IsExtension).ToList();

        Assert.Equal(39, Tables.Events.Count);
        Assert.Equal(ExtensionEvents.Order(StringComparer.Ordinal), extensions.Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.All(extensions, e => Assert.True(e.InExtensionsFolder, e.Name));
        Assert.DoesNotContain(Tables.Events, e => !e.IsExtension && e.InExtensionsFolder);
        Assert.Empty(extensions.Select(e => e.Source.Url).Intersect(Tables.Events.Where(e => !e.IsExtension).Select(e => e.Source.Url)));
    }

    /// <summary>Conservative on purpose: only what the sibling events carry, and only the name and the DN required.</summary>
    [Fact]
    public void Every_extension_event_and_attribute_is_marked_and_only_id_and_ThisDN_are_mandatory()
    {
        string[] siblingAttributes = ["id", "ThisDN", "ThisQueue", "AgentID", "CustomerID", "Server", "time", "Reasons", "Extensions"];
        foreach (var table in Tables.Events.Where(e => e.IsExtension))
        {
            Assert.Equal(TableOrigins.Extension, table.Origin);
            Assert.All(table.Attributes, a => Assert.Equal(TableOrigins.Extension, a.Origin));
            Assert.Subset(siblingAttributes.ToHashSet(), table.Attributes.Select(a => a.Name).ToHashSet());
            Assert.Equal(["id", "ThisDN"], table.Attributes.Where(a => a.Mandatory).Select(a => a.Name));

            var schema = System.Text.Json.JsonDocument.Parse(EventSchemaGenerator.Generate(Tables)["extensions/" + table.Name + ".avsc"]).RootElement;
            Assert.Equal("extension", schema.GetProperty("origin").GetString());
            Assert.All(schema.GetProperty("fields").EnumerateArray(), f => Assert.Equal("extension", f.GetProperty("origin").GetString()));
        }
        foreach (var table in Tables.Events.Where(e => !e.IsExtension))
        {
            Assert.Null(table.Origin);
            Assert.All(table.Attributes, a => Assert.Null(a.Origin));
            Assert.DoesNotContain("\"origin\"", EventSchemaGenerator.Generate(Tables)[table.Name + ".avsc"]);
        }
    }

    [Theory]
    [InlineData("extensions/x-events.json", null, null)]
    [InlineData("extensions/x-events.json", "extension", null)]
    [InlineData("x-events.json", "extension", "extension")]
    [InlineData("extensions/x-events.json", "extension", "reference")]
    public void A_table_whose_origin_marks_disagree_with_its_folder_is_refused(string fileName, string? eventOrigin, string? attributeOrigin)
    {
        var files = Directory.GetFiles(Repository.TablesDirectory, "*.json").ToDictionary(p => Path.GetFileName(p), File.ReadAllText, StringComparer.Ordinal);
        files[fileName] = System.Text.Json.JsonSerializer.Serialize(new
        {
            source = new { title = "A page", url = "https://example.org/page" },
            events = new[]
            {
                new { name = "EventMadeUp", origin = eventOrigin, description = "Made up.", attributes = new[] { new { name = "id", mandatory = true, origin = attributeOrigin } } },
            },
        });

        var error = Assert.Throws<InvalidDataException>(() => AttributeTableSet.FromTexts(files));

        Assert.Contains("EventMadeUp", error.Message);
    }

    [Fact]
    public void Every_event_schema_cites_its_source_page_by_title_and_address()
    {
        foreach (var table in Tables.Events)
        {
            var record = System.Text.Json.JsonDocument.Parse(EventSchemaGenerator.Generate(Tables)[EventSchemaGenerator.PathOf(table)]).RootElement;

            Assert.False(string.IsNullOrWhiteSpace(record.GetProperty("sourceTitle").GetString()), table.Name);
            Assert.True(Uri.TryCreate(record.GetProperty("sourceUrl").GetString(), UriKind.Absolute, out var url), table.Name);
            Assert.Equal(Uri.UriSchemeHttps, url.Scheme);
        }
    }

    [Fact]
    public void The_misspelled_DND_events_carry_their_real_names()
    {
        Assert.Contains("EventDNDOOn", Tables.Events.Single(e => e.Name == "EventDNDOn").DocumentNames!);
        Assert.Contains("EventDNOff", Tables.Events.Single(e => e.Name == "EventDNDOff").DocumentNames!);
        Assert.DoesNotContain(Tables.Events, e => e.Name is "EventDNDOOn" or "EventDNOn" or "EventDNOff");
    }

    /// <summary>
    /// Guards against vendor text creeping back: the reference pages' sentences are long and come in paragraphs,
    /// our descriptions, notes and docs are one short sentence each.
    /// </summary>
    [Fact]
    public void Every_description_note_and_doc_is_one_short_sentence()
    {
        var problems = new List<string>();
        foreach (var (where, text, bound) in ProseOfTablesAndSchemas())
        {
            if (text.Length > bound) problems.Add($"{where}: {text.Length} characters (at most {bound})");
            if (!text.EndsWith('.')) problems.Add($"{where}: does not end a sentence");
            if (SentenceBreak().IsMatch(text)) problems.Add($"{where}: more than one sentence");
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void The_prose_guard_sees_every_doc_of_the_committed_schemas()
    {
        var docs = ProseOfTablesAndSchemas().Where(p => p.Where.StartsWith("schemas/events/", StringComparison.Ordinal)).ToList();
        var fieldCount = Tables.Events.Sum(e => e.Attributes.Count);

        // One doc per record and per field, plus one per inline enumeration.
        Assert.True(docs.Count >= Tables.Events.Count + fieldCount, $"{docs.Count} docs seen");
        Assert.Contains(ProseOfTablesAndSchemas(), p => p.Where.StartsWith("schemas/changes/AgentStateChange.avsc ", StringComparison.Ordinal));
        Assert.Contains(ProseOfTablesAndSchemas(), p => p.Where.StartsWith("schemas/snapshots/previous/DnSnapshot.v1.avsc ", StringComparison.Ordinal));
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
        var committed = Repository.CommittedEventSchemas()
            .ToDictionary(path => Path.GetRelativePath(Repository.EventsDirectory, path).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);

        Assert.Equal(generated.Keys.Order(StringComparer.Ordinal), committed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(7, committed.Keys.Count(path => path.StartsWith("extensions/", StringComparison.Ordinal)));
        foreach (var (relativePath, text) in generated)
        {
            Assert.True(text == committed[relativePath],
                $"schemas/events/{relativePath} differs from the tables; run: dotnet run --project tools/AgentStateProcessor.SchemaGenerator");
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
    public void Every_committed_schema_parses_with_Apache_Avro_as_the_record_of_its_file_name()
    {
        foreach (var path in Repository.CommittedSchemas())
        {
            var schema = Assert.IsType<RecordSchema>(Schema.Parse(File.ReadAllText(path)));
            // A previous version keeps its record name and says its version in the file name: DnSnapshot.v1.avsc.
            Assert.Equal(Path.GetFileName(path).Split('.')[0], schema.Name);
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
        var paths = Repository.CommittedSchemas();

        var parsed = PythonSchemaParser.ParseAll(paths);

        // 32 documented events, 7 extensions, the two snapshot schemas, the first version of the DN snapshot's and
        // the state change's.
        Assert.Equal(32 + 7 + 2 + 1 + 1, parsed.Count);
        Assert.Contains(paths, path => Repository.SchemaPathOf(path) == "changes/AgentStateChange.avsc");
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

    private const int MaxDescriptionLength = 100;
    private const int MaxNoteLength = 160;

    [System.Text.RegularExpressions.GeneratedRegex(@"[.!?]\s+\p{Lu}")]
    private static partial System.Text.RegularExpressions.Regex SentenceBreak();

    /// <summary>
    /// Every description and note of <c>schemas/tables</c> and every doc of every committed schema (events,
    /// snapshots, the state change), with where it is and its length bound.
    /// </summary>
    private static IEnumerable<(string Where, string Text, int Bound)> ProseOfTablesAndSchemas()
    {
        var files = Directory.GetFiles(Repository.TablesDirectory, "*.json", SearchOption.AllDirectories)
            .Concat(Repository.CommittedSchemas())
            .Order(StringComparer.Ordinal);
        foreach (var path in files)
        {
            var where = Path.GetRelativePath(Repository.Root, path).Replace('\\', '/');
            using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
            foreach (var found in ProseIn(json.RootElement, where)) yield return found;
        }
    }

    private static IEnumerable<(string Where, string Text, int Bound)> ProseIn(System.Text.Json.JsonElement element, string where)
    {
        if (element.ValueKind == System.Text.Json.JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                foreach (var found in ProseIn(item, where)) yield return found;
            yield break;
        }
        if (element.ValueKind != System.Text.Json.JsonValueKind.Object) yield break;
        var name = element.TryGetProperty("name", out var n) && n.ValueKind == System.Text.Json.JsonValueKind.String ? n.GetString() : null;
        foreach (var property in element.EnumerateObject())
        {
            var at = $"{where} {name ?? property.Name}.{property.Name}";
            switch (property.Name, property.Value.ValueKind)
            {
                case ("doc" or "description", System.Text.Json.JsonValueKind.String):
                    yield return (at, property.Value.GetString()!, MaxDescriptionLength);
                    break;
                case ("note", System.Text.Json.JsonValueKind.String):
                    yield return (at, property.Value.GetString()!, MaxNoteLength);
                    break;
                case ("notes", System.Text.Json.JsonValueKind.Array):
                    foreach (var note in property.Value.EnumerateArray()) yield return (at, note.GetString()!, MaxNoteLength);
                    break;
                default:
                    foreach (var found in ProseIn(property.Value, at)) yield return found;
                    break;
            }
        }
    }

    private static RecordSchema Generated(string eventName) =>
        (RecordSchema)Schema.Parse(EventSchemaGenerator.Generate(Tables)[EventSchemaGenerator.PathOf(Tables.Events.Single(e => e.Name == eventName))]);

    private static Schema BranchOf(Field field) => ((UnionSchema)field.Schema).Schemas[1];

    private static string? DocumentNameOf(RecordSchema schema, string fieldName) =>
        schema[fieldName].GetProperty("documentName") is { } json ? System.Text.Json.JsonSerializer.Deserialize<string>(json) : null;
}
