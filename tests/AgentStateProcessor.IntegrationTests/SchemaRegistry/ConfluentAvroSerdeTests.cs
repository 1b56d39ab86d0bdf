using System.Buffers.Binary;
using System.Net;
using Avro;
using Avro.Generic;
using Avro.IO;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.SchemaRegistry;

namespace AgentStateProcessor.IntegrationTests.SchemaRegistry;

/// <summary>The transitional Confluent-framed serializer and registry decoder against a schema registry over HTTP.</summary>
public sealed class ConfluentAvroSerdeTests : IAsyncLifetime
{
    private const string AgentsTopic = "voice-agentstate-agents";
    private const string DnsTopic = "voice-agentstate-dns";

    private const string AgentSchemaJson = """
        {"type":"record","name":"AgentSnapshot","namespace":"test.registry","doc":"kept in the registered JSON",
         "fields":[
           {"name":"agentId","type":"string"},
           {"name":"ready","type":"boolean"},
           {"name":"reasonCode","type":["null","string"],"default":null},
           {"name":"eventCount","type":"long"}]}
        """;

    private const string DnSchemaJson = """
        {"type":"record","name":"DnSnapshot","namespace":"test.registry","fields":[{"name":"dn","type":"string"},{"name":"dnd","type":"boolean"}]}
        """;

    private static readonly RecordSchema AgentSchema = (RecordSchema)Schema.Parse(AgentSchemaJson);

    private TestSchemaRegistryServer _server = null!;
    private readonly HttpClient _http = SchemaRegistryClient.CreateHttpClient();

    public async Task InitializeAsync() => _server = await TestSchemaRegistryServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }

    private SchemaRegistryClient NewClient(int maxRetries = 3) =>
        new(_http, new SchemaRegistryOptions { Url = _server.Url, MaxRetries = maxRetries, RetryBackoff = TimeSpan.FromMilliseconds(10) });

    private RegistryAvroDecoder NewDecoder(int maxRetries = 3) => new(NewClient(maxRetries), CancellationToken.None);

    private static byte[] EncodeAgent(string agentId, int eventCount)
    {
        var record = new GenericRecord(AgentSchema);
        record.Add("agentId", agentId);
        record.Add("ready", true);
        record.Add("reasonCode", "Break");
        record.Add("eventCount", (long)eventCount);
        using var stream = new MemoryStream();
        new GenericDatumWriter<GenericRecord>(AgentSchema).Write(record, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    private static byte[] Frame(int schemaId, byte[] body)
    {
        var framed = new byte[5 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed.AsSpan(1), schemaId);
        body.CopyTo(framed, 5);
        return framed;
    }

    [Fact]
    public async Task A_framed_value_round_trips_through_the_registry()
    {
        var serializer = new ConfluentAvroSerializer(NewClient(), AgentsTopic, AgentSchemaJson);
        var body = EncodeAgent("tenant-1:agent-7", 12);

        var id = await serializer.EnsureRegisteredAsync(CancellationToken.None);
        var framed = serializer.Frame(body);
        var decoded = NewDecoder().Decode(framed, AgentsTopic);

        Assert.Equal(_server.IdOf(AgentSchemaJson), id);
        Assert.Equal(0, framed[0]);
        Assert.Equal(id, BinaryPrimitives.ReadInt32BigEndian(framed.AsSpan(1, 4)));
        Assert.Equal(body, framed[5..]);
        var record = Assert.IsType<GenericRecord>(decoded.Record);
        Assert.Equal(SchemaNormalization.ToParsingForm(AgentSchema), SchemaNormalization.ToParsingForm(record.Schema));
        Assert.Equal(("tenant-1:agent-7", true, "Break", 12L), ((string)record["agentId"], (bool)record["ready"], (string)record["reasonCode"], (long)record["eventCount"]));
    }

    [Fact]
    public async Task The_full_schema_json_is_registered_under_the_topic_value_subject()
    {
        var serializer = new ConfluentAvroSerializer(NewClient(), AgentsTopic, AgentSchemaJson);

        var id = await serializer.EnsureRegisteredAsync(CancellationToken.None);
        var registered = await NewClient().GetSchemaByIdAsync(id, CancellationToken.None);

        Assert.Equal("voice-agentstate-agents-value", serializer.Subject);
        Assert.Equal("/subjects/voice-agentstate-agents-value/versions", _server.Requests[0].PathAndQuery);
        Assert.Contains("kept in the registered JSON", registered);
    }

    [Fact]
    public async Task Registration_happens_once_per_serializer_and_each_topic_gets_its_own_subject()
    {
        var client = NewClient();
        var agents = new ConfluentAvroSerializer(client, AgentsTopic, AgentSchemaJson);
        var dns = new ConfluentAvroSerializer(client, DnsTopic, DnSchemaJson);

        var agentId = await agents.EnsureRegisteredAsync(CancellationToken.None);
        await agents.EnsureRegisteredAsync(CancellationToken.None);
        var dnId = await dns.EnsureRegisteredAsync(CancellationToken.None);

        Assert.NotEqual(agentId, dnId);
        Assert.Equal(dnId, dns.SchemaId);
        Assert.Equal(
            ["/subjects/voice-agentstate-agents-value/versions", "/subjects/voice-agentstate-dns-value/versions"],
            _server.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public void Framing_before_registration_is_refused_naming_the_subject()
    {
        var serializer = new ConfluentAvroSerializer(NewClient(), AgentsTopic, AgentSchemaJson);

        var error = Assert.Throws<InvalidOperationException>(() => serializer.Frame([1, 2, 3]));

        Assert.False(serializer.IsRegistered);
        Assert.Contains("voice-agentstate-agents-value", error.Message);
        Assert.Equal(0, _server.RequestCount);
    }

    [Fact]
    public async Task The_decoder_fetches_each_writer_schema_once()
    {
        var serializer = new ConfluentAvroSerializer(NewClient(), AgentsTopic, AgentSchemaJson);
        await serializer.EnsureRegisteredAsync(CancellationToken.None);
        var decoder = NewDecoder();
        var requestsBeforeReading = _server.RequestCount;

        var first = decoder.Decode(serializer.Frame(EncodeAgent("t:a1", 1)), AgentsTopic);
        var second = decoder.Decode(serializer.Frame(EncodeAgent("t:a2", 2)), AgentsTopic);

        Assert.Same(first.Record!.Schema, second.Record!.Schema);
        Assert.Equal("t:a2", second.Record["agentId"]);
        Assert.Equal(requestsBeforeReading + 1, _server.RequestCount);
    }

    [Fact]
    public void A_value_with_an_id_the_registry_does_not_know_is_an_unknown_schema_id()
    {
        var result = NewDecoder().Decode(Frame(99_999, [2, 0x41]), AgentsTopic);

        Assert.Null(result.Record);
        Assert.Equal(IntakeCodes.UnknownSchemaId, result.Code);
        Assert.Contains("99999", result.Reason);
    }

    [Fact]
    public async Task A_registry_outage_is_not_mistaken_for_an_unknown_schema()
    {
        var id = await NewClient().RegisterAsync(SchemaRegistryClient.SubjectNameFor(DnsTopic), DnSchemaJson, CancellationToken.None);
        var decoder = NewDecoder(maxRetries: 0);
        _server.FailNextRequests(1, HttpStatusCode.ServiceUnavailable);

        var error = Assert.Throws<SchemaRegistryException>(() => decoder.Decode(Frame(id, [2, 0x41, 0]), DnsTopic));
        var afterOutage = decoder.Decode(Frame(id, [2, 0x41, 0]), DnsTopic);

        Assert.False(error.IsSchemaNotFound);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(("A", false), ((string)afterOutage.Record!["dn"], (bool)afterOutage.Record["dnd"]));
    }

    [Fact]
    public async Task A_truncated_body_or_bytes_after_the_record_fail_to_decode()
    {
        var id = await NewClient().RegisterAsync(SchemaRegistryClient.SubjectNameFor(AgentsTopic), AgentSchemaJson, CancellationToken.None);
        var decoder = NewDecoder();
        var body = EncodeAgent("tenant-1:agent-7", 12);

        for (var length = 0; length < body.Length; length++)
        {
            var result = decoder.Decode(Frame(id, body[..length]), AgentsTopic);
            Assert.True(result.Code == IntakeCodes.AvroDecodeFailed, $"{length} of {body.Length} bytes: {result.Code}");
        }
        Assert.Equal(IntakeCodes.AvroDecodeFailed, decoder.Decode(Frame(id, [.. body, 0x02]), AgentsTopic).Code);
    }

    [Fact]
    public async Task A_writer_schema_that_is_not_a_record_is_not_an_event_record()
    {
        var id = await NewClient().RegisterAsync(SchemaRegistryClient.SubjectNameFor(AgentsTopic), "\"string\"", CancellationToken.None);

        var result = NewDecoder().Decode(Frame(id, [2, 0x41]), AgentsTopic);

        Assert.Equal(IntakeCodes.NotAnEventRecord, result.Code);
    }
}
