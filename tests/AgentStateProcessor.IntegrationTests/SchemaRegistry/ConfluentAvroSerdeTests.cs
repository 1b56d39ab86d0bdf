using System.Buffers.Binary;
using System.Net;
using AgentStateProcessor.Avro;
using AgentStateProcessor.SchemaRegistry;

namespace AgentStateProcessor.IntegrationTests.SchemaRegistry;

public sealed class ConfluentAvroSerdeTests : IAsyncLifetime
{
    private const string AgentsTopic = "voice-agentstate-agents";
    private const string DnsTopic = "voice-agentstate-dns";

    private static readonly AvroSchema AgentSchema = AvroSchema.Parse("""
        {"type":"record","name":"AgentSnapshot","namespace":"test.registry","doc":"kept in the registered JSON",
         "fields":[
           {"name":"agentId","type":"string"},
           {"name":"ready","type":"boolean"},
           {"name":"reasonCode","type":["null","string"],"default":null},
           {"name":"eventCount","type":"long"}]}
        """);

    private static readonly AvroSchema DnSchema = AvroSchema.Parse("""
        {"type":"record","name":"DnSnapshot","namespace":"test.registry","fields":[{"name":"dn","type":"string"},{"name":"dnd","type":"boolean"}]}
        """);

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

    private static byte[] EncodeAgent(string agentId, int eventCount)
    {
        var record = new GenericRecord((RecordSchema)AgentSchema)
        {
            ["agentId"] = agentId,
            ["ready"] = true,
            ["reasonCode"] = "Break",
            ["eventCount"] = (long)eventCount,
        };
        return AvroBinary.Encode(AgentSchema, record);
    }

    [Fact]
    public async Task A_framed_value_round_trips_through_the_registry()
    {
        var serializer = new ConfluentAvroSerializer(NewClient(), AgentsTopic, AgentSchema);
        var body = EncodeAgent("tenant-1:agent-7", 12);

        var id = await serializer.EnsureRegisteredAsync(CancellationToken.None);
        var framed = serializer.Frame(body);
        var message = await new ConfluentAvroReader(NewClient()).ReadAsync(framed, CancellationToken.None);

        Assert.Equal(_server.IdOf(AgentSchema.ToString()), id);
        Assert.Equal(0, framed[0]);
        Assert.Equal(id, BinaryPrimitives.ReadInt32BigEndian(framed.AsSpan(1, 4)));
        Assert.Equal(id, message.SchemaId);
        Assert.Equal(AgentSchema.ToCanonicalForm(), message.WriterSchema.ToCanonicalForm());
        Assert.Equal(body, message.Body.ToArray());
        Assert.Equal(AvroBinary.Decode(AgentSchema, body), AvroBinary.Decode(message.WriterSchema, message.Body.Span));
    }

    [Fact]
    public async Task The_full_schema_json_is_registered_under_the_topic_value_subject()
    {
        var serializer = new ConfluentAvroSerializer(NewClient(), AgentsTopic, AgentSchema);

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
        var agents = new ConfluentAvroSerializer(client, AgentsTopic, AgentSchema);
        var dns = new ConfluentAvroSerializer(client, DnsTopic, DnSchema);

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
        var serializer = new ConfluentAvroSerializer(NewClient(), AgentsTopic, AgentSchema);

        var error = Assert.Throws<InvalidOperationException>(() => serializer.Frame([1, 2, 3]));

        Assert.False(serializer.IsRegistered);
        Assert.Contains("voice-agentstate-agents-value", error.Message);
        Assert.Equal(0, _server.RequestCount);
    }

    [Fact]
    public async Task The_reader_fetches_each_writer_schema_once()
    {
        var serializer = new ConfluentAvroSerializer(NewClient(), AgentsTopic, AgentSchema);
        await serializer.EnsureRegisteredAsync(CancellationToken.None);
        var reader = new ConfluentAvroReader(NewClient());
        var requestsBeforeReading = _server.RequestCount;

        Assert.Null(reader.CachedWriterSchema(serializer.SchemaId));
        var first = await reader.ReadAsync(serializer.Frame(EncodeAgent("t:a1", 1)), CancellationToken.None);
        var second = await reader.ReadAsync(serializer.Frame(EncodeAgent("t:a2", 2)), CancellationToken.None);

        Assert.Same(first.WriterSchema, second.WriterSchema);
        Assert.Same(first.WriterSchema, reader.CachedWriterSchema(serializer.SchemaId));
        Assert.Equal(requestsBeforeReading + 1, _server.RequestCount);
    }

    [Fact]
    public async Task A_value_with_an_id_the_registry_does_not_know_is_reported_as_schema_not_found()
    {
        var reader = new ConfluentAvroReader(NewClient());

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(
            async () => await reader.ReadAsync(ConfluentWireFormat.Frame(99_999, [2, 0x41]), CancellationToken.None));

        Assert.True(error.IsSchemaNotFound);
        Assert.Null(reader.CachedWriterSchema(99_999));
    }

    [Fact]
    public async Task A_registry_outage_is_not_mistaken_for_an_unknown_schema()
    {
        var id = await NewClient().RegisterAsync(SchemaRegistryClient.SubjectNameFor(DnsTopic), DnSchema.ToString(), CancellationToken.None);
        var reader = new ConfluentAvroReader(NewClient(maxRetries: 0));
        _server.FailNextRequests(1, HttpStatusCode.ServiceUnavailable);

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(
            async () => await reader.ReadAsync(ConfluentWireFormat.Frame(id, [2, 0x41, 0]), CancellationToken.None));
        var afterOutage = await reader.ReadAsync(ConfluentWireFormat.Frame(id, [2, 0x41, 0]), CancellationToken.None);

        Assert.False(error.IsSchemaNotFound);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(DnSchema.ToCanonicalForm(), afterOutage.WriterSchema.ToCanonicalForm());
    }

    [Fact]
    public async Task A_value_that_is_not_confluent_framed_is_rejected_without_asking_the_registry()
    {
        var reader = new ConfluentAvroReader(NewClient());

        var error = await Assert.ThrowsAsync<AvroException>(
            async () => await reader.ReadAsync("""{"id":"EventAgentLogin"}"""u8.ToArray(), CancellationToken.None));

        Assert.Contains("Confluent wire format", error.Message);
        Assert.Equal(0, _server.RequestCount);
    }
}
