using Avro;

namespace AgentStateProcessor.Schemas.Tests;

public sealed class EmbeddedSchemaTests
{
    [Fact]
    public void The_embedded_set_has_a_record_schema_for_each_of_the_32_documented_events_and_the_7_extensions()
    {
        var set = EventSchemaSet.LoadEmbedded();

        Assert.Equal(32 + 7, set.EventNames.Count);
        Assert.Equal(7, set.ExtensionEventNames.Count);
        Assert.True(set.IsExtension("EventQueueLogout"));
        Assert.False(set.IsExtension("EventAgentLogout"));
        foreach (var name in set.EventNames)
        {
            Assert.Equal(name, set.Find(name)!.Name);
        }
    }

    [Theory]
    [InlineData("EventPartyInfo")]
    [InlineData("EventDNDOOn")]
    [InlineData("eventagentlogin")]
    [InlineData("")]
    public void Find_answers_null_for_an_event_no_table_describes(string name) =>
        Assert.Null(EventSchemaSet.LoadEmbedded().Find(name));

    [Fact]
    public void The_embedded_schemas_are_the_committed_files()
    {
        var paths = Repository.CommittedSchemas();

        Assert.Equal(paths.Select(Repository.SchemaPathOf), EmbeddedSchemas.Paths);
        Assert.Contains("events/extensions/EventQueueLogout.avsc", EmbeddedSchemas.Paths);
        Assert.Contains("snapshots/previous/DnSnapshot.v1.avsc", EmbeddedSchemas.Paths);
        Assert.Contains("changes/AgentStateChange.avsc", EmbeddedSchemas.Paths);
        foreach (var path in paths)
        {
            Assert.Equal(File.ReadAllText(path), EmbeddedSchemas.ReadText(Repository.SchemaPathOf(path)));
        }
    }

    [Fact]
    public void Any_embedded_schema_loads_by_its_path_under_schemas()
    {
        Assert.Contains("events/EventAgentLogin.avsc", EmbeddedSchemas.Paths);
        var schema = Assert.IsType<RecordSchema>(EmbeddedSchemas.Load("events/EventAgentLogin.avsc"));
        Assert.Equal("EventAgentLogin", schema.Name);
    }

    [Fact]
    public void Loading_a_path_that_is_not_embedded_names_the_path()
    {
        var error = Assert.Throws<FileNotFoundException>(() => EmbeddedSchemas.Load("events/EventNope.avsc"));
        Assert.Contains("events/EventNope.avsc", error.Message);
    }
}
