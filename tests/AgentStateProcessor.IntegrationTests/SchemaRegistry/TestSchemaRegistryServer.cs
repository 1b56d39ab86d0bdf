using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.IntegrationTests.SchemaRegistry;

/// <summary>
/// A Confluent Schema Registry stand-in on 127.0.0.1 and a free port, implementing the two endpoints
/// the processor uses with the registry's documented answers, plus the knobs tests need: a request
/// log, failing or delaying the next requests, and optional basic authentication.
/// </summary>
internal sealed class TestSchemaRegistryServer : IAsyncDisposable
{
    public const string MediaType = "application/vnd.schemaregistry.v1+json";

    private readonly WebApplication _app;
    private readonly (string Username, string Password)? _requiredCredentials;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _idsBySchema = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _schemasById = new();
    private readonly Dictionary<string, List<int>> _versionsBySubject = new(StringComparer.Ordinal);
    private readonly int _firstId;
    private int _failuresLeft;
    private HttpStatusCode _failureStatus;
    private int _delaysLeft;
    private TimeSpan _delay;

    private TestSchemaRegistryServer(WebApplication app, (string, string)? requiredCredentials, int firstId)
    {
        _app = app;
        _requiredCredentials = requiredCredentials;
        _firstId = firstId;
    }

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public int RequestCount => _requests.Count;

    /// <param name="requiredCredentials">When set, every request without these basic-auth credentials gets 401.</param>
    /// <param name="pathBase">Serve under this path prefix, like a registry behind a reverse proxy.</param>
    public static async Task<TestSchemaRegistryServer> StartAsync((string Username, string Password)? requiredCredentials = null, string? pathBase = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();

        // Ids do not start at 1, so a client that makes ids up instead of reading them is caught.
        var server = new TestSchemaRegistryServer(app, requiredCredentials, firstId: Random.Shared.Next(100, 10_000));
        app.Use(server.InterceptAsync);
        if (pathBase is not null)
        {
            app.UsePathBase(pathBase);
        }
        app.MapPost("/subjects/{subject}/versions", server.RegisterAsync);
        app.MapGet("/schemas/ids/{id:int}", server.GetSchemaById);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Url = new Uri(address.TrimEnd('/') + (pathBase ?? ""));
        return server;
    }

    /// <summary>The next <paramref name="count"/> requests get <paramref name="status"/> with a registry error body.</summary>
    public void FailNextRequests(int count, HttpStatusCode status = HttpStatusCode.InternalServerError)
    {
        lock (_gate)
        {
            _failuresLeft = count;
            _failureStatus = status;
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
        await _app.StopAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task InterceptAsync(HttpContext context, RequestDelegate next)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        _requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, authorization, context.Request.ContentType));

        TimeSpan? delay = null;
        HttpStatusCode? failure = null;
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
            await WriteErrorAsync(context, status, (int)status * 100 + 1, "Injected failure");
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

    private async Task RegisterAsync(HttpContext context, string subject)
    {
        var contentType = context.Request.ContentType ?? "";
        if (!contentType.StartsWith(MediaType, StringComparison.Ordinal) && !contentType.StartsWith("application/json", StringComparison.Ordinal))
        {
            await WriteErrorAsync(context, HttpStatusCode.UnsupportedMediaType, 415, $"Unsupported media type {contentType}");
            return;
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
            return;
        }

        int id;
        lock (_gate)
        {
            if (!_idsBySchema.TryGetValue(normalized, out id))
            {
                id = _firstId + _idsBySchema.Count;
                _idsBySchema.Add(normalized, id);
                _schemasById.Add(id, schema!);
            }
            var versions = _versionsBySubject.TryGetValue(subject, out var existing) ? existing : _versionsBySubject[subject] = [];
            if (!versions.Contains(id))
            {
                versions.Add(id);
            }
        }
        await WriteJsonAsync(context, HttpStatusCode.OK, new JsonObject { ["id"] = id });
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

internal sealed record RecordedRequest(string Method, string PathAndQuery, string Authorization, string? ContentType);
