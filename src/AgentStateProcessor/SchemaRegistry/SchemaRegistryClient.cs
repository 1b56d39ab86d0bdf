using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentStateProcessor.SchemaRegistry;

/// <summary>
/// The part of the Confluent Schema Registry REST API (v1) this project needs: register an Avro
/// schema under a subject, and fetch a schema by its id. Answers are cached for the life of the
/// client (a registered schema's id never changes), and concurrent callers asking the same
/// question share one request.
/// </summary>
internal sealed partial class SchemaRegistryClient
{
    public const string MediaType = "application/vnd.schemaregistry.v1+json";

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);
    private const int MaxErrorBodyCharsInMessage = 200;

    private readonly HttpClient _http;
    private readonly SchemaRegistryOptions _options;
    private readonly Uri _baseUrl;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<(string Subject, string Schema), Lazy<Task<int>>> _idsBySubjectAndSchema = new();
    private readonly ConcurrentDictionary<int, Lazy<Task<string>>> _schemasById = new();

    /// <param name="http">
    /// Used for every request and not disposed here. Its own <see cref="HttpClient.Timeout"/> should
    /// not be shorter than <see cref="SchemaRegistryOptions.RequestTimeout"/>, which this client
    /// applies per attempt; <see cref="CreateHttpClient"/> makes a suitable one.
    /// </param>
    public SchemaRegistryClient(HttpClient http, SchemaRegistryOptions options, ILogger<SchemaRegistryClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }
        if (options.Urls.Count == 0)
        {
            throw new ArgumentException($"{SchemaRegistryOptions.SectionName}:Url is not set.", nameof(options));
        }
        var url = options.Urls[0];

        _http = http;
        _options = options;
        // Without the trailing slash a path prefix (https://host/registry) would be replaced, not extended.
        _baseUrl = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        _authorization = options.HasBasicAuth
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.BasicAuthUsername}:{options.BasicAuthPassword}")))
            : null;
        _logger = logger ?? NullLogger<SchemaRegistryClient>.Instance;
    }

    /// <summary>
    /// An <see cref="HttpClient"/> for this client: connections are recycled so a registry behind a
    /// changing DNS name is found again, and the overall timeout is left to the per-attempt one.
    /// </summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <summary>The subject of a topic's value schema under the default TopicNameStrategy.</summary>
    public static string SubjectNameFor(string topic)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        return topic + "-value";
    }

    /// <summary>Registers an Avro schema under <paramref name="subject"/> (or finds it registered) and returns its global id.</summary>
    public Task<int> RegisterAsync(string subject, string schemaJson, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(schemaJson);
        return GetOrFetchShared(_idsBySubjectAndSchema, (Subject: subject, Schema: schemaJson), key => RegisterUncachedAsync(key.Subject, key.Schema), cancellationToken);
    }

    /// <summary>The Avro schema JSON registered under <paramref name="id"/>.</summary>
    public Task<string> GetSchemaByIdAsync(int id, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        return GetOrFetchShared(_schemasById, id, GetSchemaByIdUncachedAsync, cancellationToken);
    }

    /// <summary>
    /// One fetch per key for everyone. The fetch itself runs without the caller's token so that one
    /// caller giving up does not fail the others waiting on it; it is bounded by the retry settings.
    /// A failed fetch is forgotten, so the next caller tries again.
    /// </summary>
    private static Task<TValue> GetOrFetchShared<TKey, TValue>(
        ConcurrentDictionary<TKey, Lazy<Task<TValue>>> cache,
        TKey key,
        Func<TKey, Task<TValue>> fetch,
        CancellationToken cancellationToken)
        where TKey : notnull
    {
        var shared = cache.GetOrAdd(key, static (k, state) => new Lazy<Task<TValue>>(() => FetchOrForget(state.cache, k, state.fetch)), (cache, fetch));
        var task = shared.Value;
        return task.IsCompleted ? task : task.WaitAsync(cancellationToken);

        static async Task<TValue> FetchOrForget(ConcurrentDictionary<TKey, Lazy<Task<TValue>>> cache, TKey key, Func<TKey, Task<TValue>> fetch)
        {
            try
            {
                return await fetch(key).ConfigureAwait(false);
            }
            catch
            {
                cache.TryRemove(key, out _);
                throw;
            }
        }
    }

    private async Task<int> RegisterUncachedAsync(string subject, string schemaJson)
    {
        // schemaType is left out: AVRO is the documented default when it is absent, and registries from before
        // schema types existed (Confluent 5.5) know only this shape of the body.
        var body = JsonSerializer.SerializeToUtf8Bytes(new RegisterSchemaRequest(schemaJson), SchemaRegistryJsonContext.Default.RegisterSchemaRequest);
        var response = await SendAsync(
            HttpMethod.Post,
            $"subjects/{Uri.EscapeDataString(subject)}/versions",
            body,
            SchemaRegistryJsonContext.Default.RegisterSchemaResponse,
            isComplete: r => r.Id is not null).ConfigureAwait(false);
        return response.Id!.Value;
    }

    private async Task<string> GetSchemaByIdUncachedAsync(int id)
    {
        var path = $"schemas/ids/{id}";
        var response = await SendAsync(
            HttpMethod.Get,
            path,
            requestBody: null,
            SchemaRegistryJsonContext.Default.SchemaByIdResponse,
            isComplete: r => !string.IsNullOrWhiteSpace(r.Schema)).ConfigureAwait(false);
        if (response.SchemaType is not (null or "AVRO"))
        {
            var uri = new Uri(_baseUrl, path);
            throw new SchemaRegistryException(
                $"Schema registry GET {uri}: schema {id} is of type {response.SchemaType}, but only AVRO is supported.",
                HttpMethod.Get.Method, uri, HttpStatusCode.OK);
        }
        return response.Schema!;
    }

    private async Task<TResponse> SendAsync<TResponse>(
        HttpMethod method,
        string relativePath,
        byte[]? requestBody,
        JsonTypeInfo<TResponse> responseType,
        Func<TResponse, bool> isComplete)
        where TResponse : class
    {
        var uri = new Uri(_baseUrl, relativePath);
        var attempts = _options.MaxRetries + 1;
        for (var attempt = 1; ; attempt++)
        {
            SchemaRegistryException failure;
            using var attemptTimeout = new CancellationTokenSource(_options.RequestTimeout);
            try
            {
                using var request = NewRequest(method, uri, requestBody);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptTimeout.Token).ConfigureAwait(false);
                var content = await response.Content.ReadAsByteArrayAsync(attemptTimeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return ReadSuccess(content, responseType, isComplete, method, uri, attempt);
                }

                failure = RegistryError(response.StatusCode, content, method, uri, attempt);
                if (!IsWorthRetrying(response.StatusCode) || attempt == attempts)
                {
                    throw failure;
                }
            }
            catch (OperationCanceledException ex) when (attemptTimeout.IsCancellationRequested || ex.InnerException is TimeoutException)
            {
                failure = new SchemaRegistryException(
                    $"Schema registry {method} {uri} got no answer within {_options.RequestTimeout} ({SchemaRegistryOptions.SectionName}:RequestTimeout){AfterAttempts(attempt)}.",
                    method.Method, uri, attempts: attempt, innerException: ex);
            }
            catch (HttpRequestException ex)
            {
                failure = new SchemaRegistryException(
                    $"Schema registry {method} {uri} could not be reached{AfterAttempts(attempt)}: {ex.Message}",
                    method.Method, uri, attempts: attempt, innerException: ex);
            }

            if (attempt == attempts)
            {
                throw failure;
            }
            var delay = RetryDelay(attempt);
            LogRetry(method.Method, uri, attempt, attempts, delay, failure.Message);
            await Task.Delay(delay).ConfigureAwait(false);
        }
    }

    private HttpRequestMessage NewRequest(HttpMethod method, Uri uri, byte[]? body)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaType));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json", 0.5));
        request.Headers.Authorization = _authorization;
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaType);
        }
        return request;
    }

    private static TResponse ReadSuccess<TResponse>(
        byte[] content, JsonTypeInfo<TResponse> responseType, Func<TResponse, bool> isComplete, HttpMethod method, Uri uri, int attempt)
        where TResponse : class
    {
        TResponse? response = null;
        try
        {
            response = JsonSerializer.Deserialize(content, responseType);
        }
        catch (JsonException)
        {
            // Reported below together with the other unusable answers.
        }
        return response is not null && isComplete(response)
            ? response
            : throw new SchemaRegistryException(
                $"Schema registry {method} {uri} answered with an unexpected body: {Snippet(content)}",
                method.Method, uri, HttpStatusCode.OK, attempts: attempt);
    }

    private static SchemaRegistryException RegistryError(HttpStatusCode status, byte[] content, HttpMethod method, Uri uri, int attempt)
    {
        ErrorResponse? error = null;
        try
        {
            error = JsonSerializer.Deserialize(content, SchemaRegistryJsonContext.Default.ErrorResponse);
        }
        catch (JsonException)
        {
            // A proxy in front of the registry may answer with HTML or plain text; its snippet goes in the message instead.
        }

        var detail = error?.ErrorCode is int code
            ? $"error_code {code}: {error.Message}"
            : Snippet(content);
        var hint = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? $" Check {SchemaRegistryOptions.SectionName}:BasicAuthUsername and {SchemaRegistryOptions.SectionName}:BasicAuthPassword."
            : "";
        return new SchemaRegistryException(
            $"Schema registry {method} {uri} failed with HTTP {(int)status} ({status}){AfterAttempts(attempt)}: {detail}.{hint}",
            method.Method, uri, status, error?.ErrorCode, error?.Message ?? Snippet(content), attempt);
    }

    /// <summary>Server trouble and throttling may pass; other client errors will not change by asking again.</summary>
    private static bool IsWorthRetrying(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private TimeSpan RetryDelay(int failedAttempt)
    {
        var delay = _options.RetryBackoff * Math.Pow(2, failedAttempt - 1);
        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }

    private static string AfterAttempts(int attempt) => attempt > 1 ? $" (after {attempt} attempts)" : "";

    private static string Snippet(byte[] content)
    {
        if (content.Length == 0)
        {
            return "(empty body)";
        }
        var text = Encoding.UTF8.GetString(content).Trim();
        return text.Length <= MaxErrorBodyCharsInMessage ? text : text[..MaxErrorBodyCharsInMessage] + "...";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Schema registry {Method} {Url}: attempt {Attempt} of {Attempts} failed, retrying in {Delay}: {Reason}")]
    private partial void LogRetry(string method, Uri url, int attempt, int attempts, TimeSpan delay, string reason);
}

internal sealed record RegisterSchemaRequest([property: JsonPropertyName("schema")] string Schema);

internal sealed record RegisterSchemaResponse([property: JsonPropertyName("id")] int? Id);

internal sealed record SchemaByIdResponse(
    [property: JsonPropertyName("schema")] string? Schema,
    [property: JsonPropertyName("schemaType")] string? SchemaType);

internal sealed record ErrorResponse(
    [property: JsonPropertyName("error_code")] int? ErrorCode,
    [property: JsonPropertyName("message")] string? Message);

[JsonSerializable(typeof(RegisterSchemaRequest))]
[JsonSerializable(typeof(RegisterSchemaResponse))]
[JsonSerializable(typeof(SchemaByIdResponse))]
[JsonSerializable(typeof(ErrorResponse))]
internal sealed partial class SchemaRegistryJsonContext : JsonSerializerContext;
