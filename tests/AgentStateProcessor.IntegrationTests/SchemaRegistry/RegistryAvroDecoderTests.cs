using System.Buffers.Binary;
using System.Net;
using System.Text.Json.Nodes;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.SchemaRegistry;
using AgentStateProcessor.TestSupport;
using Avro.Generic;
using Confluent.SchemaRegistry;

namespace AgentStateProcessor.IntegrationTests.SchemaRegistry;

/// <summary>Confluent-framed input through Confluent's AvroDeserializer against the fake registry.</summary>
public sealed class RegistryAvroDecoderTests : IAsyncLifetime
{
    private const string InputTopic = "voice-agentstate";
    private const string Subject = "voice-agentstate-value";

    private TestSchemaRegistryServer _server = null!;
    private readonly List<IDisposable> _clients = [];

    public async Task InitializeAsync() => _server = await TestSchemaRegistryServer.StartAsync();

    public async Task DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await _server.DisposeAsync();
    }

    private CachedSchemaRegistryClient Client(int maxRetries = 2, Uri? url = null)
    {
        var client = SchemaRegistryClientFactory.Create(new SchemaRegistryOptions
        {
            Url = (url ?? _server.Url).ToString(),
            MaxRetries = maxRetries,
            RetryBackoff = TimeSpan.FromMilliseconds(10),
            RetryBackoffMax = TimeSpan.FromMilliseconds(50),
        });
        _clients.Add(client);
        return client;
    }

    private static byte[] Framed(int schemaId, params byte[] body)
    {
        var value = new byte[5 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(1, 4), schemaId);
        body.CopyTo(value, 5);
        return value;
    }

    [Fact]
    public async Task Values_written_by_confluents_serializer_decode_to_the_writers_record()
    {
        var options = new SchemaRegistryOptions { Url = _server.Url.ToString() };
        var serializer = new SnapshotAvroSerializer(Client(), options, "voice-agentstate-agents", SnapshotRecords.AgentSchema);
        await serializer.EnsureRegisteredAsync(CancellationToken.None);
        var random = new Random(11);
        var records = Enumerable.Range(0, 10).Select(i => SnapshotRecords.Agent(random, withNullables: i % 2 == 0)).ToList();
        var decoder = new RegistryAvroDecoder(Client());

        var results = records.Select(r => decoder.Decode(serializer.Serialize(r), InputTopic)).ToList();

        for (var i = 0; i < records.Count; i++)
        {
            Assert.Null(results[i].Code);
            var decoded = Assert.IsType<GenericRecord>(results[i].Record);
            Assert.Equal(SnapshotRecords.AgentSchema.Fullname, decoded.Schema.Fullname);
            Assert.True(JsonNode.DeepEquals(SnapshotRecords.PlainDatum(records[i]), SnapshotRecords.PlainDatum(decoded)), $"record {i}");
        }
    }

    [Fact]
    public void Values_framed_by_hand_around_python_bodies_decode_to_the_same_values()
    {
        var dnId = _server.Register(Subject, SnapshotRecords.TextOf(SnapshotRecords.DnSchema));
        var agentId = _server.Register(Subject, SnapshotRecords.TextOf(SnapshotRecords.AgentSchema));
        var random = new Random(1121);
        var records = Enumerable.Range(0, 30)
            .Select(i => i % 2 == 0 ? SnapshotRecords.Dn(random, withNullables: i % 4 == 0) : SnapshotRecords.Agent(random, withNullables: i % 3 == 0))
            .ToList();
        var cases = records.Select(r => new JsonObject
        {
            ["schema"] = r.Schema.Name == "DnSnapshot" ? "dn" : "agent",
            ["id"] = r.Schema.Name == "DnSnapshot" ? dnId : agentId,
            ["datum"] = SnapshotRecords.PlainDatum(r),
        });

        var encoded = PythonAvro.RunOracle("confluent_oracle.py", new JsonObject
        {
            ["schemas"] = SnapshotAvroSerializerTests.PythonSchemas(),
            ["decode"] = new JsonArray(),
            ["encode"] = new JsonArray([.. cases]),
        })["encoded"]!.AsArray().Select(n => Convert.FromHexString((string)n!)).ToList();
        var decoder = new RegistryAvroDecoder(Client());

        Assert.Equal(records.Count, encoded.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var result = decoder.Decode(encoded[i], InputTopic);
            Assert.Null(result.Code);
            Assert.True(JsonNode.DeepEquals(SnapshotRecords.PlainDatum(records[i]), SnapshotRecords.PlainDatum(result.Record)), $"record {i}");
        }
    }

    [Fact]
    public void Each_writer_schema_is_fetched_once_by_its_id()
    {
        var serializer = new SnapshotAvroSerializer(Client(), new SchemaRegistryOptions { Url = _server.Url.ToString() }, "voice-agentstate-dns", SnapshotRecords.DnSchema);
        var random = new Random(4);
        var values = Enumerable.Range(0, 5).Select(_ => serializer.Serialize(SnapshotRecords.Dn(random, withNullables: true))).ToList();
        var requestsBeforeDecoding = _server.RequestCount;
        var decoder = new RegistryAvroDecoder(Client());

        Assert.All(values, v => Assert.NotNull(decoder.Decode(v, InputTopic).Record));

        var fetches = _server.Requests.Skip(requestsBeforeDecoding).ToList();
        Assert.StartsWith($"/schemas/ids/{BinaryPrimitives.ReadInt32BigEndian(values[0].AsSpan(1, 4))}", Assert.Single(fetches).PathAndQuery);
    }

    [Fact]
    public void An_id_the_registry_does_not_know_is_unknown_schema_id_asked_once()
    {
        var decoder = new RegistryAvroDecoder(Client(maxRetries: 3));

        var result = decoder.Decode(Framed(424_242, 2, 0x41), InputTopic);

        Assert.Equal(IntakeCodes.UnknownSchemaId, result.Code);
        Assert.Contains("424242", result.Reason);
        Assert.Null(result.Record);
        Assert.Equal(1, _server.RequestCount);
    }

    [Theory]
    [InlineData(new byte[] { 0x09 }, "truncated string")]
    [InlineData(new byte[] { }, "empty body")]
    [InlineData(new byte[] { 0x02, 0x41, 0x02 }, "missing fields")]
    public void A_body_that_does_not_decode_with_the_writer_schema_is_avro_decode_failed(byte[] body, string why)
    {
        var id = _server.Register(Subject, SnapshotRecords.TextOf(SnapshotRecords.DnSchema));

        var result = new RegistryAvroDecoder(Client()).Decode(Framed(id, body), InputTopic);

        Assert.True(IntakeCodes.AvroDecodeFailed == result.Code, $"{why}: {result.Code} {result.Reason}");
        Assert.Contains($"schema id {id}", result.Reason);
    }

    /// <summary>Apache.Avro, under Confluent's deserializer, would allocate 1 GiB for the length before reading it.</summary>
    [Theory]
    [InlineData("\"string\"", "string of 1073741824 bytes, but only 1 remain")]
    [InlineData("{\"type\":\"map\",\"values\":\"string\"}", "map block of 1073741824 items, but only 1 bytes remain")]
    public void A_length_or_count_beyond_the_body_is_avro_decode_failed_before_the_deserializer_reads_it(string fieldType, string overrun)
    {
        var id = _server.Register(Subject, $$"""{"type":"record","name":"Tiny","fields":[{"name":"s","type":{{fieldType}}}]}""");

        var result = new RegistryAvroDecoder(Client()).Decode(Framed(id, 0x80, 0x80, 0x80, 0x80, 0x08, 0x41), InputTopic);

        Assert.Equal(IntakeCodes.AvroDecodeFailed, result.Code);
        Assert.Equal($"schema id {id}: field 's': {overrun}", result.Reason);
    }

    [Fact]
    public void Bytes_after_the_record_are_ignored_as_confluents_deserializer_does()
    {
        var id = _server.Register(Subject, """{"type":"record","name":"Tiny","fields":[{"name":"s","type":"string"}]}""");

        var result = new RegistryAvroDecoder(Client()).Decode(Framed(id, 0x02, 0x41, 0xFF, 0xFF), InputTopic);

        Assert.Null(result.Code);
        Assert.Equal("A", result.Record!["s"]);
    }

    [Theory]
    [InlineData("\"string\"", new byte[] { 0x02, 0x41 })]
    [InlineData("{\"type\":\"array\",\"items\":\"long\"}", new byte[] { 0x00 })]
    [InlineData("\"null\"", new byte[] { })]
    public void A_writer_schema_that_is_not_a_record_is_not_an_event_record(string schema, byte[] body)
    {
        var id = _server.Register(Subject, schema);

        var result = new RegistryAvroDecoder(Client()).Decode(Framed(id, body), InputTopic);

        Assert.Equal(IntakeCodes.NotAnEventRecord, result.Code);
        Assert.Contains($"schema id {id}", result.Reason);
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0, 0, 0, 1, 0x02 })]
    [InlineData(new byte[] { 0, 0, 1 })]
    public void A_value_that_is_not_confluent_framed_is_avro_decode_failed_without_asking_the_registry(byte[] value)
    {
        var result = new RegistryAvroDecoder(Client()).Decode(value, InputTopic);

        Assert.Equal(IntakeCodes.AvroDecodeFailed, result.Code);
        Assert.Contains("Confluent wire format", result.Reason);
        Assert.Equal(0, _server.RequestCount);
    }

    [Fact]
    public void A_registry_down_at_start_up_throws_unavailable_instead_of_dead_lettering()
    {
        var decoder = new RegistryAvroDecoder(Client(maxRetries: 1, url: TestSchemaRegistryServer.UnusedUrl()));

        var error = Assert.Throws<SchemaRegistryUnavailableException>(() => decoder.Decode(Framed(7, 2, 0x41), InputTopic));

        Assert.Contains("could not be reached", error.Message);
        Assert.Contains("id 7", error.Message);
    }

    /// <summary>Confluent's client retries 500, 502, 503 and 504 (here twice after the first attempt), and not 501.</summary>
    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, 3)]
    [InlineData(HttpStatusCode.ServiceUnavailable, 3)]
    [InlineData(HttpStatusCode.NotImplemented, 1)]
    public void A_registry_answering_5xx_after_its_retries_throws_unavailable_and_decodes_once_it_recovers(HttpStatusCode status, int attempts)
    {
        var value = new SnapshotAvroSerializer(Client(), new SchemaRegistryOptions { Url = _server.Url.ToString() }, "voice-agentstate-dns", SnapshotRecords.DnSchema)
            .Serialize(SnapshotRecords.Dn(new Random(9), withNullables: false));
        var id = BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(1, 4));
        var decoder = new RegistryAvroDecoder(Client(maxRetries: 2));
        var requestsBefore = _server.RequestCount;
        _server.FailNextRequests(attempts, status);

        var error = Assert.Throws<SchemaRegistryUnavailableException>(() => decoder.Decode(value, InputTopic));
        var requestsOfOutage = _server.RequestCount - requestsBefore;
        var afterOutage = decoder.Decode(value, InputTopic);

        Assert.Equal(attempts, requestsOfOutage);
        Assert.Contains($"id {id}", error.Message);
        Assert.Null(afterOutage.Code);
        Assert.Equal(SnapshotRecords.DnSchema.Fullname, afterOutage.Record!.Schema.Fullname);
    }

    [Fact]
    public void A_registry_answering_401_throws_an_authentication_error()
    {
        var decoder = new RegistryAvroDecoder(Client(maxRetries: 3));
        _server.FailNextRequests(10, HttpStatusCode.Unauthorized);

        var error = Assert.Throws<SchemaRegistryAuthenticationException>(() => decoder.Decode(Framed(5, 2, 0x41), InputTopic));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public void A_404_that_is_not_the_registrys_unknown_schema_answer_is_not_blamed_on_the_record()
    {
        var decoder = new RegistryAvroDecoder(Client());
        _server.FailNextRequests(1, HttpStatusCode.NotFound, registryBody: false);

        var error = Assert.Throws<SchemaRegistryUnavailableException>(() => decoder.Decode(Framed(5, 2, 0x41), InputTopic));

        Assert.Contains("HTTP 404", error.Message);
    }

    [Fact]
    public void The_decode_method_is_the_intakes_framed_avro_decoder()
    {
        var id = _server.Register(Subject, "\"string\"");
        FramedAvroDecoder decode = new RegistryAvroDecoder(Client()).Decode;

        Assert.Equal(IntakeCodes.NotAnEventRecord, decode(Framed(id, 0x02, 0x41), InputTopic).Code);
    }
}
