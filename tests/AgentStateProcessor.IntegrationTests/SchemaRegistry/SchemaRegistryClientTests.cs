using System.Net;
using System.Net.Sockets;
using System.Text;
using AgentStateProcessor.SchemaRegistry;

namespace AgentStateProcessor.IntegrationTests.SchemaRegistry;

public sealed class SchemaRegistryClientTests : IAsyncLifetime
{
    private const string Subject = "voice-agentstate-agents-value";
    private const string AgentSchema = """{"type":"record","name":"AgentSnapshot","fields":[{"name":"agentId","type":"string"}]}""";
    private const string DnSchema = """{"type":"record","name":"DnSnapshot","fields":[{"name":"dn","type":"string"}]}""";

    private static readonly TimeSpan ShortBackoff = TimeSpan.FromMilliseconds(10);

    private TestSchemaRegistryServer _server = null!;
    private readonly HttpClient _http = SchemaRegistryClient.CreateHttpClient();

    public async Task InitializeAsync() => _server = await TestSchemaRegistryServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }

    private SchemaRegistryClient NewClient(Action<SchemaRegistryOptions>? configure = null, Uri? url = null)
    {
        var options = new SchemaRegistryOptions { Url = url ?? _server.Url, RetryBackoff = ShortBackoff };
        configure?.Invoke(options);
        return new SchemaRegistryClient(_http, options);
    }

    [Fact]
    public void Subject_of_a_topic_value_is_the_topic_name_with_value_suffix()
    {
        Assert.Equal("voice-agentstate-dns-value", SchemaRegistryClient.SubjectNameFor("voice-agentstate-dns"));
    }

    [Fact]
    public async Task Register_returns_the_registry_id_and_answers_a_repeat_from_cache()
    {
        var client = NewClient();

        var agentId = await client.RegisterAsync(Subject, AgentSchema, CancellationToken.None);
        var dnId = await client.RegisterAsync(Subject, DnSchema, CancellationToken.None);
        var requestsAfterFirstRegistrations = _server.RequestCount;
        var agentIdAgain = await client.RegisterAsync(Subject, AgentSchema, CancellationToken.None);

        Assert.Equal(_server.IdOf(AgentSchema), agentId);
        Assert.Equal(_server.IdOf(DnSchema), dnId);
        Assert.NotEqual(agentId, dnId);
        Assert.Equal(agentId, agentIdAgain);
        Assert.Equal(2, requestsAfterFirstRegistrations);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task Register_posts_the_schema_as_a_json_string_with_the_registry_media_type()
    {
        await NewClient().RegisterAsync(Subject, AgentSchema, CancellationToken.None);

        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/subjects/{Subject}/versions", request.PathAndQuery);
        Assert.StartsWith(SchemaRegistryClient.MediaType, request.ContentType);
    }

    [Fact]
    public async Task The_same_schema_registered_by_another_client_gets_the_same_id()
    {
        var first = await NewClient().RegisterAsync(Subject, AgentSchema, CancellationToken.None);
        var second = await NewClient().RegisterAsync(Subject, AgentSchema, CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task Get_by_id_returns_the_registered_schema_and_caches_it()
    {
        var id = await NewClient().RegisterAsync(Subject, AgentSchema, CancellationToken.None);
        var reader = NewClient();

        var schema = await reader.GetSchemaByIdAsync(id, CancellationToken.None);
        var requestsAfterFirstGet = _server.RequestCount;
        var schemaAgain = await reader.GetSchemaByIdAsync(id, CancellationToken.None);

        Assert.Equal(AgentSchema, schema);
        Assert.Equal(schema, schemaAgain);
        Assert.Equal(requestsAfterFirstGet, _server.RequestCount);
        Assert.Equal($"/schemas/ids/{id}", _server.Requests[^1].PathAndQuery);
    }

    [Fact]
    public async Task Unknown_schema_id_is_reported_as_not_found_without_retrying()
    {
        var client = NewClient();

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSchemaByIdAsync(424242, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(40403, error.ErrorCode);
        Assert.True(error.IsSchemaNotFound);
        Assert.Contains("/schemas/ids/424242", error.Message);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task Invalid_schema_is_rejected_with_the_registry_error_and_not_retried()
    {
        var client = NewClient();

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterAsync(Subject, "{\"fields\":[]}", CancellationToken.None));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.StatusCode);
        Assert.Equal(42201, error.ErrorCode);
        Assert.Equal("Invalid schema", error.RegistryMessage);
        Assert.Contains("error_code 42201", error.Message);
        Assert.Contains(_server.Url.Authority, error.Message);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task Server_errors_are_retried_until_the_registry_answers()
    {
        var client = NewClient(options => options.MaxRetries = 3);
        _server.FailNextRequests(2);

        var id = await client.RegisterAsync(Subject, AgentSchema, CancellationToken.None);

        Assert.Equal(_server.IdOf(AgentSchema), id);
        Assert.Equal(3, _server.RequestCount);
    }

    [Fact]
    public async Task Server_errors_beyond_max_retries_fail_with_the_last_answer()
    {
        var client = NewClient(options => options.MaxRetries = 2);
        _server.FailNextRequests(10, HttpStatusCode.ServiceUnavailable);

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterAsync(Subject, AgentSchema, CancellationToken.None));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Equal(50301, error.ErrorCode);
        Assert.Equal(3, error.Attempts);
        Assert.Contains("after 3 attempts", error.Message);
        Assert.Equal(3, _server.RequestCount);
    }

    [Fact]
    public async Task A_failed_registration_is_not_cached()
    {
        var client = NewClient(options => options.MaxRetries = 0);
        _server.FailNextRequests(1);

        await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterAsync(Subject, AgentSchema, CancellationToken.None));
        var id = await client.RegisterAsync(Subject, AgentSchema, CancellationToken.None);

        Assert.Equal(_server.IdOf(AgentSchema), id);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task A_slow_answer_times_out_and_is_retried()
    {
        var client = NewClient(options => options.RequestTimeout = TimeSpan.FromMilliseconds(200));
        _server.DelayNextRequests(1, TimeSpan.FromSeconds(5));

        var id = await client.RegisterAsync(Subject, AgentSchema, CancellationToken.None);

        Assert.Equal(_server.IdOf(AgentSchema), id);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task Timeouts_beyond_max_retries_fail_with_a_message_naming_the_url_and_the_setting()
    {
        var client = NewClient(options =>
        {
            options.RequestTimeout = TimeSpan.FromMilliseconds(150);
            options.MaxRetries = 2;
        });
        _server.DelayNextRequests(10, TimeSpan.FromSeconds(5));

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSchemaByIdAsync(7, CancellationToken.None));

        Assert.Null(error.StatusCode);
        Assert.Equal(3, error.Attempts);
        Assert.Contains(new Uri(_server.Url, "/schemas/ids/7").ToString(), error.Message);
        Assert.Contains("SchemaRegistry:RequestTimeout", error.Message);
        Assert.Equal(3, _server.RequestCount);
    }

    [Fact]
    public async Task An_unreachable_registry_fails_after_max_retries_naming_the_url()
    {
        var closedPort = FreeLoopbackPort();
        var client = NewClient(options => options.MaxRetries = 1, url: new Uri($"http://127.0.0.1:{closedPort}"));

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterAsync(Subject, AgentSchema, CancellationToken.None));

        Assert.Null(error.StatusCode);
        Assert.Equal(2, error.Attempts);
        Assert.Contains($"127.0.0.1:{closedPort}/subjects/{Subject}/versions", error.Message);
        Assert.IsType<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task Concurrent_registrations_of_one_schema_share_one_request()
    {
        var client = NewClient();
        _server.DelayNextRequests(1, TimeSpan.FromMilliseconds(300));

        var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => client.RegisterAsync(Subject, AgentSchema, CancellationToken.None))));

        Assert.All(ids, id => Assert.Equal(_server.IdOf(AgentSchema), id));
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task A_caller_giving_up_does_not_fail_others_waiting_on_the_same_request()
    {
        var client = NewClient();
        _server.DelayNextRequests(1, TimeSpan.FromMilliseconds(500));
        using var impatient = new CancellationTokenSource();

        var abandoned = client.RegisterAsync(Subject, AgentSchema, impatient.Token);
        var patient = client.RegisterAsync(Subject, AgentSchema, CancellationToken.None);
        await impatient.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        var id = await patient;

        Assert.Equal(_server.IdOf(AgentSchema), id);
        Assert.Equal(1, _server.RequestCount);
    }

    [Fact]
    public async Task A_registry_url_with_a_path_prefix_keeps_the_prefix()
    {
        await using var proxied = await TestSchemaRegistryServer.StartAsync(pathBase: "/registry");
        var client = NewClient(url: proxied.Url);

        var id = await client.RegisterAsync(Subject, AgentSchema, CancellationToken.None);

        Assert.Equal(proxied.IdOf(AgentSchema), id);
        Assert.Equal($"/registry/subjects/{Subject}/versions", Assert.Single(proxied.Requests).PathAndQuery);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed class SchemaRegistryBasicAuthTests : IAsyncLifetime
{
    private const string Subject = "voice-agentstate-dns-value";
    private const string Schema = """{"type":"record","name":"DnSnapshot","fields":[{"name":"dn","type":"string"}]}""";
    private const string Username = "processor";
    private const string Password = "s3cr:t";

    private TestSchemaRegistryServer _server = null!;
    private readonly HttpClient _http = SchemaRegistryClient.CreateHttpClient();

    public async Task InitializeAsync() => _server = await TestSchemaRegistryServer.StartAsync(requiredCredentials: (Username, Password));

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _http.Dispose();
    }

    [Fact]
    public async Task Configured_credentials_are_sent_as_a_basic_authorization_header()
    {
        var client = new SchemaRegistryClient(_http, new SchemaRegistryOptions { Url = _server.Url, BasicAuthUsername = Username, BasicAuthPassword = Password });

        var id = await client.RegisterAsync(Subject, Schema, CancellationToken.None);

        Assert.Equal(_server.IdOf(Schema), id);
        var sent = Assert.Single(_server.Requests).Authorization;
        Assert.StartsWith("Basic ", sent);
        Assert.Equal($"{Username}:{Password}", Encoding.UTF8.GetString(Convert.FromBase64String(sent["Basic ".Length..])));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(Username, "wrong")]
    public async Task Rejected_credentials_fail_at_once_with_a_message_pointing_at_the_settings(string? username, string? password)
    {
        var client = new SchemaRegistryClient(_http, new SchemaRegistryOptions { Url = _server.Url, BasicAuthUsername = username, BasicAuthPassword = password });

        var error = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterAsync(Subject, Schema, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("HTTP 401", error.Message);
        Assert.Contains("SchemaRegistry:BasicAuthUsername", error.Message);
        Assert.DoesNotContain("wrong", error.Message);
        Assert.Equal(1, _server.RequestCount);
    }
}
