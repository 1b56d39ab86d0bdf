using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.IntegrationTests.SchemaRegistry;

/// <summary>
/// A Confluent Schema Registry stand-in on 127.0.0.1 and a free port, implementing the endpoints
/// Confluent's client calls for Avro serdes with the registry's documented answers (register, look
/// up, latest version, schema by id, and the compatibility check of a schema against a subject's latest version,
/// judged by python3-avro's ReaderWriterCompatibilityChecker at <see cref="CompatibilityLevel"/>; query strings
/// such as <c>?normalize=false</c> or <c>?subject=</c> are accepted and ignored), plus the knobs tests need: a request log with
/// headers, failing or delaying the next requests, and optional basic or bearer authentication,
/// the bearer token either fixed or issued by an OAuth client-credentials endpoint it serves too;
/// over https when given a certificate, recording the client certificate each connection presents;
/// and an outage that lasts until it is ended (<see cref="StartOutageAsync"/>).
/// </summary>
internal sealed class TestSchemaRegistryServer : IAsyncDisposable
{
    public const string MediaType = "application/vnd.schemaregistry.v1+json";
    public const string TokenPath = "/oauth2/token";

    private readonly string? _pathBase;
    private readonly X509Certificate2? _tlsCertificate;
    private WebApplication? _app;
    private int _port;
    private readonly (string Username, string Password)? _requiredCredentials;
    private readonly string? _requiredBearerToken;
    private readonly (string ClientId, string ClientSecret)? _oauthClient;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _idsBySchema = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _schemasById = new();
    private readonly Dictionary<string, List<int>> _versionsBySubject = new(StringComparer.Ordinal);
    private readonly int _firstId;
    private int _failuresLeft;
    private HttpStatusCode _failureStatus;
    private bool _failureWithRegistryBody;
    private int _delaysLeft;
    private TimeSpan _delay;
    private RegistryOutageKind? _outage;
    private TaskCompletionSource _outageEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<string, bool> _outagePaths = _ => true;
    private int _outageRequests;

    private TestSchemaRegistryServer((string, string)? requiredCredentials, string? requiredBearerToken, (string, string)? oauthClient, int firstId,
        string? pathBase, X509Certificate2? tlsCertificate)
    {
        _requiredCredentials = requiredCredentials;
        _oauthClient = oauthClient;
        _requiredBearerToken = oauthClient is null ? requiredBearerToken : IssuedToken;
        _firstId = firstId;
        _pathBase = pathBase;
        _tlsCertificate = tlsCertificate;
    }

    /// <summary>The access token the OAuth endpoint issues.</summary>
    public string IssuedToken { get; } = "issued-" + Guid.NewGuid().ToString("N");

    /// <summary>The OAuth client-credentials token endpoint; served only when started with an OAuth client.</summary>
    public Uri TokenEndpoint => new(Url, TokenPath);

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public int RequestCount => _requests.Count;

    /// <summary>
    /// The compatibility level the check endpoint applies, as the registry's config names them: BACKWARD (its
    /// default: the new schema reads data of the latest), FORWARD (the latest reads data of the new) or FULL (both).
    /// </summary>
    public string CompatibilityLevel { get; set; } = "BACKWARD";

    /// <param name="requiredCredentials">When set, every request without these basic-auth credentials gets 401.</param>
    /// <param name="pathBase">Serve under this path prefix, like a registry behind a reverse proxy.</param>
    /// <param name="requiredBearerToken">When set, every request without <c>Authorization: Bearer</c> and this token gets 401.</param>
    /// <param name="oauthClient">
    /// When set, <see cref="TokenEndpoint"/> issues <see cref="IssuedToken"/> to this client (and 401 to
    /// any other), and every registry request without that bearer token gets 401.
    /// </param>
    /// <param name="tlsCertificate">When set, serve https with it, asking for (not requiring) a client certificate.</param>
    public static async Task<TestSchemaRegistryServer> StartAsync(
        (string Username, string Password)? requiredCredentials = null,
        string? pathBase = null,
        string? requiredBearerToken = null,
        (string ClientId, string ClientSecret)? oauthClient = null,
        X509Certificate2? tlsCertificate = null)
    {
        // Ids do not start at 1, so a client that makes ids up instead of reading them is caught.
        var server = new TestSchemaRegistryServer(requiredCredentials, requiredBearerToken, oauthClient, firstId: Random.Shared.Next(100, 10_000),
            pathBase, tlsCertificate);
        await server.ListenAsync(port: 0);
        return server;
    }

    /// <summary>Serves on <paramref name="port"/> (0: a free one), keeping the registered schemas of any earlier listening.</summary>
    private async Task ListenAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            if (_tlsCertificate is not null)
            {
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = _tlsCertificate,
                    ClientCertificateMode = ClientCertificateMode.AllowCertificate,
                    ClientCertificateValidation = (_, _, _) => true,
                });
            }
        }));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use(InterceptAsync);
        if (_pathBase is not null)
        {
            app.UsePathBase(_pathBase);
        }
        app.MapPost("/subjects/{subject}/versions", RegisterAsync);
        app.MapPost("/subjects/{subject}", LookUpAsync);
        app.MapGet("/subjects/{subject}/versions/latest", GetLatest);
        app.MapGet("/schemas/ids/{id:int}", GetSchemaById);
        app.MapPost("/compatibility/subjects/{subject}/versions/{version}", CheckCompatibilityAsync);
        app.MapPost(TokenPath, IssueTokenAsync);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _port = new Uri(address).Port;
        Url = new Uri(address.TrimEnd('/') + (_pathBase ?? ""));
        _app = app;
    }

    private async Task StopListeningAsync()
    {
        if (_app is not { } app) return;
        _app = null;
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>
    /// The next <paramref name="count"/> requests get <paramref name="status"/>, with a registry error
    /// body or, with <paramref name="registryBody"/> false, plain text as a proxy in front of it would send.
    /// </summary>
    public void FailNextRequests(int count, HttpStatusCode status = HttpStatusCode.InternalServerError, bool registryBody = true)
    {
        lock (_gate)
        {
            _failuresLeft = count;
            _failureStatus = status;
            _failureWithRegistryBody = registryBody;
        }
    }

    /// <summary>
    /// Every request from now on whose path <paramref name="paths"/> accepts (all, by default) meets
    /// <paramref name="kind"/> until <see cref="EndOutageAsync"/>; token requests included. Refused
    /// connections stop the server listening, whatever the path.
    /// </summary>
    public async Task StartOutageAsync(RegistryOutageKind kind, Func<string, bool>? paths = null)
    {
        lock (_gate)
        {
            _outage = kind;
            _outagePaths = paths ?? (_ => true);
            _outageEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        if (kind == RegistryOutageKind.ConnectionRefused) await StopListeningAsync();
    }

    /// <summary>
    /// Ends the outage: a server that refused connections listens again on its port, and requests
    /// held by a <see cref="RegistryOutageKind.NoAnswer"/> outage are answered now.
    /// </summary>
    public async Task EndOutageAsync()
    {
        lock (_gate)
        {
            _outage = null;
            _outageEnded.TrySetResult();
        }
        if (_app is null) await ListenAsync(_port);
    }

    /// <summary>Requests that met an outage.</summary>
    public int OutageRequests => Volatile.Read(ref _outageRequests);

    /// <summary>An http URL on 127.0.0.1 where nothing listens: connections to it are refused.</summary>
    public static Uri UnusedUrl()
    {
        return new Uri($"http://127.0.0.1:{LoopbackPort.Unused()}");
    }

    /// <summary>Registers <paramref name="schemaJson"/> under <paramref name="subject"/> as a client would, without a request; returns its id.</summary>
    public int Register(string subject, string schemaJson)
    {
        var normalized = Normalize(schemaJson) ?? throw new ArgumentException($"Not a schema: {schemaJson}", nameof(schemaJson));
        return Register(subject, schemaJson, normalized).Id;
    }

    /// <summary>The subjects each registered schema id is a version of.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<int>> Subjects
    {
        get
        {
            lock (_gate)
            {
                return _versionsBySubject.ToDictionary(p => p.Key, p => (IReadOnlyList<int>)[.. p.Value]);
            }
        }
    }

    /// <summary>The next <paramref name="count"/> requests are answered only after <paramref name="delay"/>.</summary>
    public void DelayNextRequests(int count, TimeSpan delay)
    {
        lock (_gate)
        {
            _delaysLeft = count;
            _delay = delay;
        }
    }

    /// <summary>The id this registry gave <paramref name="schemaJson"/>, or null when it was never registered.</summary>
    public int? IdOf(string schemaJson)
    {
        lock (_gate)
        {
            return Normalize(schemaJson) is { } key && _idsBySchema.TryGetValue(key, out var id) ? id : null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await StopListeningAsync();
        _stopping.Dispose();
    }

    private async Task InterceptAsync(HttpContext context, RequestDelegate next)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new RecordedRequest(
            context.Request.Method, context.Request.Path + context.Request.QueryString, authorization, context.Request.ContentType, headers,
            context.Connection.ClientCertificate?.Subject));

        TimeSpan? delay = null;
        HttpStatusCode? failure = null;
        var registryBody = true;
        RegistryOutageKind? outage;
        Task outageEnded;
        lock (_gate)
        {
            outage = _outage is { } kind && _outagePaths(context.Request.Path) ? kind : null;
            outageEnded = _outageEnded.Task;
        }
        if (outage is { } met)
        {
            Interlocked.Increment(ref _outageRequests);
            if (!await MeetOutageAsync(context, met, outageEnded)) return;
        }
        lock (_gate)
        {
            if (_delaysLeft > 0)
            {
                _delaysLeft--;
                delay = _delay;
            }
            if (_failuresLeft > 0)
            {
                _failuresLeft--;
                failure = _failureStatus;
                registryBody = _failureWithRegistryBody;
            }
        }

        if (delay is { } wait)
        {
            using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(wait, aborted.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        if (failure is { } status)
        {
            if (registryBody)
            {
                await WriteErrorAsync(context, status, (int)status * 100 + 1, "Injected failure");
            }
            else
            {
                context.Response.StatusCode = (int)status;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body>Injected failure</body></html>");
            }
            return;
        }
        if (context.Request.Path == TokenPath)
        {
            await next(context);
            return;
        }
        if (_requiredBearerToken is { } token && authorization != "Bearer " + token)
        {
            await WriteErrorAsync(context, HttpStatusCode.Unauthorized, 401, "Unauthorized");
            return;
        }
        if (_requiredCredentials is var (username, password)
            && authorization != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")))
        {
            await WriteErrorAsync(context, HttpStatusCode.Unauthorized, 401, "Unauthorized");
            return;
        }
        await next(context);
    }

    /// <returns>Whether the request is to be answered after all (it was held until the outage ended).</returns>
    private async Task<bool> MeetOutageAsync(HttpContext context, RegistryOutageKind kind, Task outageEnded)
    {
        switch (kind)
        {
            case RegistryOutageKind.ServiceUnavailable:
                await WriteErrorAsync(context, HttpStatusCode.ServiceUnavailable, 50301, "Injected outage");
                return false;
            default:
                using (var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                {
                    await Task.WhenAny(outageEnded, Task.Delay(Timeout.Infinite, aborted.Token));
                }
                return outageEnded.IsCompleted && !context.RequestAborted.IsCancellationRequested && !_stopping.IsCancellationRequested;
        }
    }

    private async Task RegisterAsync(HttpContext context, string subject)
    {
        if (await ReadSchemaAsync(context) is not var (schema, normalized))
        {
            return;
        }
        var (id, _) = Register(subject, schema, normalized);
        await WriteJsonAsync(context, HttpStatusCode.OK, new JsonObject { ["id"] = id });
    }

    /// <summary>Whether the schema is registered under the subject, answered as the registry does: its subject, version, id and text.</summary>
    private async Task LookUpAsync(HttpContext context, string subject)
    {
        if (await ReadSchemaAsync(context) is not var (_, normalized))
        {
            return;
        }
        RegisteredVersion? found = null;
        lock (_gate)
        {
            if (!_versionsBySubject.TryGetValue(subject, out var versions))
            {
                found = new RegisteredVersion(0, 0, "");
            }
            else if (_idsBySchema.TryGetValue(normalized, out var id) && versions.IndexOf(id) is var index and >= 0)
            {
                found = new RegisteredVersion(id, index + 1, _schemasById[id]);
            }
        }
        await (found switch
        {
            null => WriteErrorAsync(context, HttpStatusCode.NotFound, 40403, "Schema not found"),
            { Version: 0 } => WriteErrorAsync(context, HttpStatusCode.NotFound, 40401, "Subject not found"),
            var v => WriteJsonAsync(context, HttpStatusCode.OK, VersionJson(subject, v)),
        });
    }

    /// <summary>
    /// The registry's compatibility check against the subject's latest version (the only version Confluent's
    /// client asks about): <c>{"is_compatible": bool}</c>, or 40401 for a subject with no version.
    /// </summary>
    private async Task CheckCompatibilityAsync(HttpContext context, string subject, string version)
    {
        if (await ReadSchemaAsync(context) is not var (schema, _))
        {
            return;
        }
        string? latest = null;
        lock (_gate)
        {
            if (version == "latest" && _versionsBySubject.TryGetValue(subject, out var versions) && versions.Count > 0)
            {
                latest = _schemasById[versions[^1]];
            }
        }
        if (latest is null)
        {
            await WriteErrorAsync(context, HttpStatusCode.NotFound, 40401, "Subject not found");
            return;
        }
        var (readNew, readLatest) = CompatibilityLevel switch
        {
            "BACKWARD" => (true, false),
            "FORWARD" => (false, true),
            "FULL" => (true, true),
            var level => throw new InvalidOperationException($"compatibility level {level} is not one this stand-in checks"),
        };
        var compatible = (!readNew || PythonAvroCompatible(reader: schema, writer: latest))
            && (!readLatest || PythonAvroCompatible(reader: latest, writer: schema));
        await WriteJsonAsync(context, HttpStatusCode.OK, new JsonObject { ["is_compatible"] = compatible });
    }

    /// <summary>Can data written with <paramref name="writer"/> be read with <paramref name="reader"/>, by python3-avro's checker.</summary>
    private static bool PythonAvroCompatible(string reader, string writer)
    {
        var directory = Directory.CreateTempSubdirectory("registry-compatibility-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "reader.avsc"), reader);
            File.WriteAllText(Path.Combine(directory.FullName, "writer.avsc"), writer);
            var results = AgentStateProcessor.TestSupport.PythonAvro.RunOracle("snapshot_oracle.py", new JsonObject
            {
                ["schemas"] = new JsonObject
                {
                    ["reader"] = Path.Combine(directory.FullName, "reader.avsc"),
                    ["writer"] = Path.Combine(directory.FullName, "writer.avsc"),
                },
                ["decode"] = new JsonArray(),
                ["encode"] = new JsonArray(),
                ["compatibility"] = new JsonArray(new JsonObject { ["reader"] = "reader", ["writer"] = "writer" }),
            });
            return (bool)results["compatibility"]![0]!["compatible"]!;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private async Task IssueTokenAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
        var known = _oauthClient is { } client && form is not null
            && form["grant_type"].ToString() == "client_credentials"
            && form["client_id"].ToString() == client.ClientId
            && form["client_secret"].ToString() == client.ClientSecret;
        await (known
            ? WriteJsonAsync(context, HttpStatusCode.OK, new JsonObject
            {
                ["access_token"] = IssuedToken, ["token_type"] = "bearer", ["expires_in"] = 3600, ["scope"] = form!["scope"].ToString(),
            })
            : WriteJsonAsync(context, HttpStatusCode.Unauthorized, new JsonObject { ["error"] = "invalid_client" }));
    }

    private Task GetLatest(HttpContext context, string subject)
    {
        RegisteredVersion? latest = null;
        lock (_gate)
        {
            if (_versionsBySubject.TryGetValue(subject, out var versions) && versions.Count > 0)
            {
                latest = new RegisteredVersion(versions[^1], versions.Count, _schemasById[versions[^1]]);
            }
        }
        return latest is null
            ? WriteErrorAsync(context, HttpStatusCode.NotFound, 40401, "Subject not found")
            : WriteJsonAsync(context, HttpStatusCode.OK, VersionJson(subject, latest));
    }

    private static JsonObject VersionJson(string subject, RegisteredVersion version) =>
        new() { ["subject"] = subject, ["version"] = version.Version, ["id"] = version.Id, ["schema"] = version.Schema };

    /// <summary>The request's Avro schema and its normalized form; answers the request itself when there is none.</summary>
    private static async Task<(string Schema, string Normalized)?> ReadSchemaAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? "";
        if (!contentType.StartsWith(MediaType, StringComparison.Ordinal) && !contentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, HttpStatusCode.UnsupportedMediaType, 415, $"Unsupported media type {contentType}");
            return null;
        }

        string? schema = null;
        try
        {
            var body = await JsonNode.ParseAsync(context.Request.Body);
            var schemaType = body?["schemaType"]?.GetValue<string>() ?? "AVRO";
            schema = schemaType == "AVRO" ? body?["schema"]?.GetValue<string>() : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Falls through to the invalid-schema answer, as the registry gives for an unreadable request.
        }
        var normalized = schema is null ? null : Normalize(schema);
        if (normalized is null)
        {
            await WriteErrorAsync(context, HttpStatusCode.UnprocessableEntity, 42201, "Invalid schema");
            return null;
        }
        return (schema!, normalized);
    }

    private (int Id, int Version) Register(string subject, string schema, string normalized)
    {
        lock (_gate)
        {
            if (!_idsBySchema.TryGetValue(normalized, out var id))
            {
                id = _firstId + _idsBySchema.Count;
                _idsBySchema.Add(normalized, id);
                _schemasById.Add(id, schema);
            }
            var versions = _versionsBySubject.TryGetValue(subject, out var existing) ? existing : _versionsBySubject[subject] = [];
            if (!versions.Contains(id))
            {
                versions.Add(id);
            }
            return (id, versions.IndexOf(id) + 1);
        }
    }

    private Task GetSchemaById(HttpContext context, int id)
    {
        string? schema;
        lock (_gate)
        {
            _schemasById.TryGetValue(id, out schema);
        }
        return schema is null
            ? WriteErrorAsync(context, HttpStatusCode.NotFound, 40403, "Schema not found")
            : WriteJsonAsync(context, HttpStatusCode.OK, new JsonObject { ["schema"] = schema });
    }

    /// <summary>
    /// Whitespace-insensitive identity, and just enough validation to answer 42201 the way the
    /// registry does for text that is not a schema: JSON that is a type name, a union or an object with a type.
    /// </summary>
    private static string? Normalize(string schemaJson)
    {
        try
        {
            var node = JsonNode.Parse(schemaJson);
            var isSchema = node switch
            {
                JsonValue value => value.GetValueKind() == JsonValueKind.String,
                JsonArray => true,
                JsonObject obj => obj["type"] is not null,
                _ => false,
            };
            return isSchema ? node!.ToJsonString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Task WriteErrorAsync(HttpContext context, HttpStatusCode status, int errorCode, string message) =>
        WriteJsonAsync(context, status, new JsonObject { ["error_code"] = errorCode, ["message"] = message });

    private static async Task WriteJsonAsync(HttpContext context, HttpStatusCode status, JsonObject body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = MediaType;
        await context.Response.WriteAsync(body.ToJsonString());
    }
}

/// <summary>How the registry is unavailable during an outage.</summary>
internal enum RegistryOutageKind
{
    /// <summary>Nothing listens on the registry's port, as while its process restarts.</summary>
    ConnectionRefused,
    /// <summary>503 with the registry's error body, as a registry that is starting answers.</summary>
    ServiceUnavailable,
    /// <summary>No answer until the client gives up (its request timeout) or the outage ends, when the request is answered.</summary>
    NoAnswer,
}

internal sealed record RecordedRequest(
    string Method, string PathAndQuery, string Authorization, string? ContentType, IReadOnlyDictionary<string, string> Headers,
    string? ClientCertificateSubject);

internal sealed record RegisteredVersion(int Id, int Version, string Schema);
