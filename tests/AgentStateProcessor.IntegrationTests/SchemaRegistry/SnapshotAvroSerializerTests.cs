using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgentStateProcessor.SchemaRegistry;
using AgentStateProcessor.TestSupport;
using Avro.Generic;
using Confluent.SchemaRegistry;
using AvroRecordSchema = Avro.RecordSchema;

namespace AgentStateProcessor.IntegrationTests.SchemaRegistry;

/// <summary>Snapshot values through Confluent's AvroSerializer against the fake registry, and their bytes against python3-avro.</summary>
public sealed class SnapshotAvroSerializerTests : IAsyncLifetime
{
    private const string AgentsTopic = "voice-agentstate-agents";
    private const string DnsTopic = "voice-agentstate-dns";

    private TestSchemaRegistryServer _server = null!;
    private readonly List<IDisposable> _clients = [];

    public async Task InitializeAsync() => _server = await TestSchemaRegistryServer.StartAsync();

    public async Task DisposeAsync()
    {
        _clients.ForEach(c => c.Dispose());
        await _server.DisposeAsync();
    }

    private SchemaRegistryOptions Options(Action<SchemaRegistryOptions>? configure = null, TestSchemaRegistryServer? server = null)
    {
        var options = new SchemaRegistryOptions { Url = (server ?? _server).Url.ToString(), RetryBackoff = TimeSpan.FromMilliseconds(10), RetryBackoffMax = TimeSpan.FromMilliseconds(50) };
        configure?.Invoke(options);
        return options;
    }

    private CachedSchemaRegistryClient Client(SchemaRegistryOptions options)
    {
        var client = SchemaRegistryClientFactory.Create(options);
        _clients.Add(client);
        return client;
    }

    private SnapshotAvroSerializer Serializer(string topic, AvroRecordSchema schema, SchemaRegistryOptions? options = null)
    {
        options ??= Options();
        return new SnapshotAvroSerializer(Client(options), options, topic, schema);
    }

    [Fact]
    public async Task Registration_at_start_up_posts_the_full_schema_under_the_topic_value_subject_and_returns_the_registry_id()
    {
        var serializer = Serializer(AgentsTopic, SnapshotRecords.AgentSchema);

        var id = await serializer.EnsureRegisteredAsync(CancellationToken.None);

        Assert.Equal("voice-agentstate-agents-value", serializer.Subject);
        Assert.Equal(_server.IdOf(SnapshotRecords.AgentSchema.ToString()), id);
        Assert.Equal(id, serializer.SchemaId);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("/subjects/voice-agentstate-agents-value/versions", request.PathAndQuery);
        Assert.StartsWith("application/vnd.schemaregistry", request.ContentType);
        Assert.Equal([id], _server.Subjects["voice-agentstate-agents-value"]);
    }

    [Fact]
    public async Task After_registration_serializing_never_asks_the_registry()
    {
        var serializer = Serializer(DnsTopic, SnapshotRecords.DnSchema);
        var id = await serializer.EnsureRegisteredAsync(CancellationToken.None);
        var requestsAfterRegistration = _server.RequestCount;
        var random = new Random(7);

        var values = Enumerable.Range(0, 20).Select(i => serializer.Serialize(SnapshotRecords.Dn(random, withNullables: i % 2 == 0))).ToList();

        Assert.Equal(1, requestsAfterRegistration);
        Assert.Equal(requestsAfterRegistration, _server.RequestCount);
        Assert.All(values, value =>
        {
            Assert.Equal(0, value[0]);
            Assert.Equal(id, BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(1, 4)));
        });
    }

    [Fact]
    public void Serializing_before_registration_registers_on_the_first_record()
    {
        var serializer = Serializer(AgentsTopic, SnapshotRecords.AgentSchema);

        var value = serializer.Serialize(SnapshotRecords.Agent(new Random(3), withNullables: true));

        Assert.Equal(_server.IdOf(SnapshotRecords.AgentSchema.ToString()), BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(1, 4)));
        Assert.StartsWith("/subjects/voice-agentstate-agents-value/versions", Assert.Single(_server.Requests).PathAndQuery);
    }

    [Fact]
    public async Task Python_decodes_the_body_after_the_five_byte_header_to_the_same_values()
    {
        var agents = Serializer(AgentsTopic, SnapshotRecords.AgentSchema);
        var dns = Serializer(DnsTopic, SnapshotRecords.DnSchema);
        var agentId = await agents.EnsureRegisteredAsync(CancellationToken.None);
        var dnId = await dns.EnsureRegisteredAsync(CancellationToken.None);
        var random = new Random(2026);
        var records = new List<(GenericRecord Record, byte[] Value, string Schema, int Id)>();
        for (var i = 0; i < 40; i++)
        {
            var agent = SnapshotRecords.Agent(random, withNullables: i % 2 == 0);
            var dn = SnapshotRecords.Dn(random, withNullables: i % 2 == 1);
            records.Add((agent, agents.Serialize(agent), "agent", agentId));
            records.Add((dn, dns.Serialize(dn), "dn", dnId));
        }

        var results = PythonAvro.RunOracle("confluent_oracle.py", new JsonObject
        {
            ["schemas"] = PythonSchemas(),
            ["decode"] = new JsonArray([.. records.Select(r => new JsonObject { ["schema"] = r.Schema, ["hex"] = Convert.ToHexString(r.Value) })]),
            ["encode"] = new JsonArray(),
        });

        var decoded = results["decoded"]!.AsArray();
        Assert.Equal(records.Count, decoded.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var python = decoded[i]!;
            Assert.Equal(0, (int)python["magic"]!);
            Assert.Equal(records[i].Id, (int)python["id"]!);
            Assert.Equal(0, (int)python["trailingBytes"]!);
            var ours = SnapshotRecords.PlainDatum(records[i].Record)!;
            Assert.True(JsonNode.DeepEquals(ours, python["datum"]), $"record {i}:\nours:   {ours.ToJsonString()}\npython: {python["datum"]!.ToJsonString()}");
        }
    }

    [Theory]
    [InlineData("Topic", "voice-agentstate-dns-value")]
    [InlineData("Record", "agentstateprocessor.snapshots.DnSnapshot")]
    [InlineData("TopicRecord", "voice-agentstate-dns-agentstateprocessor.snapshots.DnSnapshot")]
    public async Task The_configured_subject_name_strategy_names_the_subject_registered_under(string strategy, string subject)
    {
        var serializer = Serializer(DnsTopic, SnapshotRecords.DnSchema, Options(o => o.SubjectNameStrategy = Enum.Parse<SnapshotSubjectNameStrategy>(strategy)));

        var id = await serializer.EnsureRegisteredAsync(CancellationToken.None);
        serializer.Serialize(SnapshotRecords.Dn(new Random(1), withNullables: false));

        Assert.Equal(subject, serializer.Subject);
        Assert.Equal([subject], _server.Subjects.Keys);
        Assert.Equal([id], _server.Subjects[subject]);
        Assert.Equal($"/subjects/{Uri.EscapeDataString(subject)}/versions?normalize=False", Assert.Single(_server.Requests).PathAndQuery, ignoreCase: true);
    }

    [Fact]
    public async Task Each_topic_gets_its_own_subject_and_the_same_schema_keeps_its_id_across_clients()
    {
        var agents = await Serializer(AgentsTopic, SnapshotRecords.AgentSchema).EnsureRegisteredAsync(CancellationToken.None);
        var dns = await Serializer(DnsTopic, SnapshotRecords.DnSchema).EnsureRegisteredAsync(CancellationToken.None);
        var agentsAgain = await Serializer(AgentsTopic, SnapshotRecords.AgentSchema).EnsureRegisteredAsync(CancellationToken.None);

        Assert.NotEqual(agents, dns);
        Assert.Equal(agents, agentsAgain);
        Assert.Equal(["voice-agentstate-agents-value", "voice-agentstate-dns-value"], _server.Subjects.Keys.Order());
    }

    [Fact]
    public async Task Without_auto_registration_the_schema_is_looked_up_and_must_already_be_registered()
    {
        var options = Options(o => o.AutoRegisterSchemas = false);
        var missing = Serializer(AgentsTopic, SnapshotRecords.AgentSchema, options);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => missing.EnsureRegisteredAsync(CancellationToken.None));
        var id = _server.Register("voice-agentstate-agents-value", SnapshotRecords.AgentSchema.ToString());
        var found = await Serializer(AgentsTopic, SnapshotRecords.AgentSchema, options).EnsureRegisteredAsync(CancellationToken.None);

        Assert.Contains("voice-agentstate-agents-value", refused.Message);
        Assert.Equal(id, found);
        Assert.All(_server.Requests, r => Assert.StartsWith("/subjects/voice-agentstate-agents-value?", r.PathAndQuery));
    }

    [Fact]
    public async Task With_use_latest_version_records_carry_the_subject_latest_schema_id()
    {
        var older = _server.Register("voice-agentstate-dns-value", SnapshotRecords.TextOf(SnapshotRecords.DnSchema));
        var latest = _server.Register("voice-agentstate-dns-value", SnapshotRecords.DnSchema.ToString().Replace("The state of one directory number", "A directory number", StringComparison.Ordinal));
        var serializer = Serializer(DnsTopic, SnapshotRecords.DnSchema, Options(o => { o.AutoRegisterSchemas = false; o.UseLatestVersion = true; }));

        var id = await serializer.EnsureRegisteredAsync(CancellationToken.None);
        var value = serializer.Serialize(SnapshotRecords.Dn(new Random(5), withNullables: true));

        Assert.NotEqual(older, latest);
        Assert.Equal(latest, id);
        Assert.Equal(latest, BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(1, 4)));
        Assert.Equal("/subjects/voice-agentstate-dns-value/versions/latest", Assert.Single(_server.Requests).PathAndQuery);
    }

    [Fact]
    public async Task Server_errors_are_retried_until_the_registry_answers()
    {
        var serializer = Serializer(AgentsTopic, SnapshotRecords.AgentSchema, Options(o => o.MaxRetries = 3));
        _server.FailNextRequests(2, HttpStatusCode.ServiceUnavailable);

        var id = await serializer.EnsureRegisteredAsync(CancellationToken.None);

        Assert.Equal(_server.IdOf(SnapshotRecords.AgentSchema.ToString()), id);
        Assert.Equal(3, _server.RequestCount);
    }

    [Fact]
    public async Task Server_errors_beyond_max_retries_make_the_registry_unavailable_and_a_later_attempt_may_succeed()
    {
        var serializer = Serializer(AgentsTopic, SnapshotRecords.AgentSchema, Options(o => o.MaxRetries = 2));
        _server.FailNextRequests(3, HttpStatusCode.InternalServerError);

        var error = await Assert.ThrowsAsync<SchemaRegistryUnavailableException>(() => serializer.EnsureRegisteredAsync(CancellationToken.None));
        var requestsOfFailedAttempt = _server.RequestCount;
        var id = await serializer.EnsureRegisteredAsync(CancellationToken.None);

        Assert.Equal(3, requestsOfFailedAttempt);
        Assert.Contains("voice-agentstate-agents-value", error.Message);
        Assert.Equal(_server.IdOf(SnapshotRecords.AgentSchema.ToString()), id);
    }

    [Fact]
    public async Task A_slow_answer_times_out_and_is_retried()
    {
        // The timeout must also hold the retry, a new connection on a busy machine: 2 s, far from the 10 s delay.
        var serializer = Serializer(AgentsTopic, SnapshotRecords.AgentSchema, Options(o => o.RequestTimeout = TimeSpan.FromSeconds(2)));
        _server.DelayNextRequests(1, TimeSpan.FromSeconds(10));

        var id = await serializer.EnsureRegisteredAsync(CancellationToken.None);

        Assert.Equal(_server.IdOf(SnapshotRecords.AgentSchema.ToString()), id);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task A_registry_that_refuses_the_schema_fails_registration_at_once_with_its_message()
    {
        var serializer = Serializer(AgentsTopic, SnapshotRecords.AgentSchema, Options(o => o.MaxRetries = 3));
        _server.FailNextRequests(1, HttpStatusCode.Conflict);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => serializer.EnsureRegisteredAsync(CancellationToken.None));

        Assert.Contains("Injected failure", error.Message);
        Assert.Contains("voice-agentstate-agents-value", error.Message);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task A_registry_down_at_start_up_makes_registration_fail_as_unavailable()
    {
        var options = new SchemaRegistryOptions { Url = TestSchemaRegistryServer.UnusedUrl().ToString(), MaxRetries = 1, RetryBackoff = TimeSpan.FromMilliseconds(10) };
        var serializer = new SnapshotAvroSerializer(Client(options), options, AgentsTopic, SnapshotRecords.AgentSchema);

        var error = await Assert.ThrowsAsync<SchemaRegistryUnavailableException>(() => serializer.EnsureRegisteredAsync(CancellationToken.None));

        Assert.Contains("could not be reached", error.Message);
        Assert.Contains(new Uri(options.Url).Authority, error.Message);
    }

    [Fact]
    public async Task Concurrent_registrations_through_one_client_share_one_request()
    {
        var options = Options();
        var client = Client(options);
        _server.DelayNextRequests(1, TimeSpan.FromMilliseconds(300));

        var ids = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() =>
            new SnapshotAvroSerializer(client, options, AgentsTopic, SnapshotRecords.AgentSchema).EnsureRegisteredAsync(CancellationToken.None))));

        Assert.All(ids, id => Assert.Equal(_server.IdOf(SnapshotRecords.AgentSchema.ToString()), id));
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task A_caller_giving_up_does_not_fail_another_waiting_on_the_same_request()
    {
        var options = Options();
        var client = Client(options);
        _server.DelayNextRequests(1, TimeSpan.FromMilliseconds(500));
        using var impatient = new CancellationTokenSource();

        var abandoned = new SnapshotAvroSerializer(client, options, AgentsTopic, SnapshotRecords.AgentSchema).EnsureRegisteredAsync(impatient.Token);
        var patient = new SnapshotAvroSerializer(client, options, AgentsTopic, SnapshotRecords.AgentSchema).EnsureRegisteredAsync(CancellationToken.None);
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        var id = await patient;

        Assert.Equal(_server.IdOf(SnapshotRecords.AgentSchema.ToString()), id);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task A_registry_url_with_a_path_prefix_keeps_the_prefix()
    {
        await using var proxied = await TestSchemaRegistryServer.StartAsync(pathBase: "/registry");
        var serializer = Serializer(AgentsTopic, SnapshotRecords.AgentSchema, Options(server: proxied));

        var id = await serializer.EnsureRegisteredAsync(CancellationToken.None);

        Assert.Equal(proxied.IdOf(SnapshotRecords.AgentSchema.ToString()), id);
        Assert.StartsWith("/registry/subjects/voice-agentstate-agents-value/versions", Assert.Single(proxied.Requests).PathAndQuery);
    }

    [Fact]
    public async Task The_second_url_is_used_when_the_first_cannot_be_reached()
    {
        var serializer = Serializer(AgentsTopic, SnapshotRecords.AgentSchema, Options(o =>
        {
            o.Url = $"{TestSchemaRegistryServer.UnusedUrl()},{_server.Url}";
            o.MaxRetries = 0;
        }));

        var id = await serializer.EnsureRegisteredAsync(CancellationToken.None);

        Assert.Equal(_server.IdOf(SnapshotRecords.AgentSchema.ToString()), id);
    }

    internal static JsonObject PythonSchemas() => new()
    {
        ["agent"] = SnapshotRecords.PathOf(SnapshotRecords.AgentSchema),
        ["dn"] = SnapshotRecords.PathOf(SnapshotRecords.DnSchema),
    };
}

/// <summary>Credentials Confluent's client sends, what it does when they are refused, and that none leaks into messages.</summary>
public sealed class SchemaRegistryAuthenticationTests
{
    private const string Username = "processor";
    private const string Password = "s3cr:t-password";
    private const string Token = "bearer-token-0123456789";

    [Fact]
    public async Task Basic_auth_credentials_are_sent_in_the_authorization_header()
    {
        await using var server = await TestSchemaRegistryServer.StartAsync(requiredCredentials: (Username, Password));
        var options = new SchemaRegistryOptions { Url = server.Url.ToString(), BasicAuthUsername = Username, BasicAuthPassword = Password };
        using var client = SchemaRegistryClientFactory.Create(options);

        var id = await new SnapshotAvroSerializer(client, options, "voice-agentstate-agents", SnapshotRecords.AgentSchema).EnsureRegisteredAsync(CancellationToken.None);

        Assert.Equal(server.IdOf(SnapshotRecords.AgentSchema.ToString()), id);
        var sent = Assert.Single(server.Requests).Authorization;
        Assert.StartsWith("Basic ", sent);
        Assert.Equal($"{Username}:{Password}", Encoding.UTF8.GetString(Convert.FromBase64String(sent["Basic ".Length..])));
    }

    [Fact]
    public async Task A_static_bearer_token_is_sent_with_the_logical_cluster()
    {
        await using var server = await TestSchemaRegistryServer.StartAsync(requiredBearerToken: Token);
        var options = new SchemaRegistryOptions { Url = server.Url.ToString(), BearerAuthToken = Token, BearerAuthLogicalCluster = "lsrc-test", BearerAuthIdentityPoolId = "pool-1" };
        using var client = SchemaRegistryClientFactory.Create(options);

        var id = await new SnapshotAvroSerializer(client, options, "voice-agentstate-agents", SnapshotRecords.AgentSchema).EnsureRegisteredAsync(CancellationToken.None);

        Assert.Equal(server.IdOf(SnapshotRecords.AgentSchema.ToString()), id);
        var request = Assert.Single(server.Requests);
        Assert.Equal($"Bearer {Token}", request.Authorization);
        Assert.Equal("lsrc-test", request.Headers["target-sr-cluster"]);
        Assert.Equal("pool-1", request.Headers["Confluent-Identity-Pool-Id"]);
    }

    private static SchemaRegistryOptions OAuth(TestSchemaRegistryServer server, Uri tokenEndpoint, string clientSecret) => new()
    {
        Url = server.Url.ToString(),
        BearerAuthClientId = "processor-client",
        BearerAuthClientSecret = clientSecret,
        BearerAuthScope = "schema_registry",
        BearerAuthTokenEndpointUrl = tokenEndpoint.ToString(),
        BearerAuthLogicalCluster = "lsrc-test",
        MaxRetries = 0,
        RetryBackoff = TimeSpan.FromMilliseconds(10),
    };

    [Fact]
    public async Task Oauth_client_credentials_fetch_a_token_that_is_sent_as_the_bearer()
    {
        await using var server = await TestSchemaRegistryServer.StartAsync(oauthClient: ("processor-client", "client-secret-1"));
        var options = OAuth(server, server.TokenEndpoint, "client-secret-1");
        using var client = SchemaRegistryClientFactory.Create(options);

        var id = await new SnapshotAvroSerializer(client, options, "voice-agentstate-agents", SnapshotRecords.AgentSchema).EnsureRegisteredAsync(CancellationToken.None);

        Assert.Equal(server.IdOf(SnapshotRecords.AgentSchema.ToString()), id);
        Assert.Collection(server.Requests,
            token => Assert.Equal(("POST", TestSchemaRegistryServer.TokenPath), (token.Method, token.PathAndQuery)),
            register => Assert.Equal($"Bearer {server.IssuedToken}", register.Authorization));
    }

    [Fact]
    public async Task A_client_secret_the_token_endpoint_refuses_is_a_fatal_configuration_error()
    {
        await using var server = await TestSchemaRegistryServer.StartAsync(oauthClient: ("processor-client", "client-secret-1"));
        var options = OAuth(server, server.TokenEndpoint, "wrong-secret-42");
        using var client = SchemaRegistryClientFactory.Create(options);

        var error = await Assert.ThrowsAsync<SchemaRegistryAuthenticationException>(
            () => new SnapshotAvroSerializer(client, options, "voice-agentstate-agents", SnapshotRecords.AgentSchema).EnsureRegisteredAsync(CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.DoesNotContain("wrong-secret-42", error.ToString());
        Assert.All(server.Requests, r => Assert.Equal(TestSchemaRegistryServer.TokenPath, r.PathAndQuery));
    }

    [Fact]
    public async Task An_unreachable_token_endpoint_makes_the_registry_unavailable_not_the_record_bad()
    {
        await using var server = await TestSchemaRegistryServer.StartAsync(oauthClient: ("processor-client", "client-secret-1"));
        var options = OAuth(server, new Uri(TestSchemaRegistryServer.UnusedUrl(), TestSchemaRegistryServer.TokenPath), "client-secret-1");
        using var client = SchemaRegistryClientFactory.Create(options);

        Assert.Throws<SchemaRegistryUnavailableException>(() => new RegistryAvroDecoder(client).Decode(new byte[] { 0, 0, 0, 0, 7, 2, 0x41 }, "voice-agentstate"));
        Assert.Equal(0, server.RequestCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Refused_credentials_are_a_fatal_configuration_error_asked_once(bool registryBody)
    {
        await using var server = await TestSchemaRegistryServer.StartAsync();
        server.FailNextRequests(10, HttpStatusCode.Unauthorized, registryBody);
        var options = new SchemaRegistryOptions { Url = server.Url.ToString(), BasicAuthUsername = Username, BasicAuthPassword = "wrong-password", MaxRetries = 3 };
        using var client = SchemaRegistryClientFactory.Create(options);

        var error = await Assert.ThrowsAsync<SchemaRegistryAuthenticationException>(
            () => new SnapshotAvroSerializer(client, options, "voice-agentstate-agents", SnapshotRecords.AgentSchema).EnsureRegisteredAsync(CancellationToken.None));

        Assert.Contains("SchemaRegistry:BasicAuthUsername", error.Message);
        Assert.Equal(1, server.RequestCount);
    }

    [Fact]
    public async Task Forbidden_is_a_fatal_configuration_error_too()
    {
        await using var server = await TestSchemaRegistryServer.StartAsync();
        server.FailNextRequests(10, HttpStatusCode.Forbidden);
        var options = new SchemaRegistryOptions { Url = server.Url.ToString(), BearerAuthToken = Token, BearerAuthLogicalCluster = "lsrc-test" };
        using var client = SchemaRegistryClientFactory.Create(options);

        var error = await Assert.ThrowsAsync<SchemaRegistryAuthenticationException>(
            () => new SnapshotAvroSerializer(client, options, "voice-agentstate-agents", SnapshotRecords.AgentSchema).EnsureRegisteredAsync(CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
    }

    [Fact]
    public async Task No_secret_appears_in_the_options_description_validation_messages_or_errors()
    {
        string[] secrets = ["pw-6f1c9a2e", "token-9d8e7f6a", "client-secret-5b4c3d2e", "keystore-pw-1a2b3c4d"];
        await using var server = await TestSchemaRegistryServer.StartAsync();
        server.FailNextRequests(10, HttpStatusCode.Unauthorized);
        var printed = new List<string>();

        var basic = new SchemaRegistryOptions { Url = server.Url.ToString(), BasicAuthUsername = Username, BasicAuthPassword = secrets[0], MaxRetries = 0 };
        printed.Add(basic.ToString());
        using (var client = SchemaRegistryClientFactory.Create(basic))
        {
            var refused = await Assert.ThrowsAsync<SchemaRegistryAuthenticationException>(
                () => new SnapshotAvroSerializer(client, basic, "t", SnapshotRecords.AgentSchema).EnsureRegisteredAsync(CancellationToken.None));
            printed.Add(refused.ToString());
            var refusedWhileDecoding = await Assert.ThrowsAsync<SchemaRegistryAuthenticationException>(
                () => new RegistryAvroDecoder(client).DecodeAsync(new byte[] { 0, 0, 0, 0, 1, 2 }, "t"));
            printed.Add(refusedWhileDecoding.ToString());
        }
        var unreachable = new SchemaRegistryOptions { Url = TestSchemaRegistryServer.UnusedUrl().ToString(), BearerAuthToken = secrets[1], BearerAuthLogicalCluster = "lsrc", MaxRetries = 0 };
        printed.Add(unreachable.ToString());
        using (var client = SchemaRegistryClientFactory.Create(unreachable))
        {
            var down = await Assert.ThrowsAsync<SchemaRegistryUnavailableException>(
                () => new SnapshotAvroSerializer(client, unreachable, "t", SnapshotRecords.AgentSchema).EnsureRegisteredAsync(CancellationToken.None));
            printed.Add(down.ToString());
        }
        var everything = new SchemaRegistryOptions
        {
            Url = "ftp://user:" + secrets[0] + "@registry",
            BasicAuthUsername = "a:b",
            BasicAuthPassword = secrets[0],
            BearerAuthToken = secrets[1],
            BearerAuthClientId = "client",
            BearerAuthClientSecret = secrets[2],
            SslKeystoreLocation = "/nonexistent/keystore.p12",
            SslKeystorePassword = secrets[3],
            MaxRetries = -1,
        };
        printed.Add(everything.ToString());
        printed.AddRange(everything.Validate());
        printed.Add(Assert.Throws<ArgumentException>(() => SchemaRegistryClientFactory.Create(everything)).ToString());

        Assert.Contains(printed, p => p.Contains("[redacted]", StringComparison.Ordinal));
        Assert.True(everything.Validate().Count >= 5);
        foreach (var text in printed)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }
}
