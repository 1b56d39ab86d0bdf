using System.Net;

namespace AgentStateProcessor.SchemaRegistry;

/// <summary>
/// A schema registry request that did not succeed: the registry answered with an error, the answer
/// could not be read, or every attempt failed to get an answer at all.
/// </summary>
internal sealed class SchemaRegistryException : Exception
{
    public SchemaRegistryException(
        string message,
        string method,
        Uri requestUri,
        HttpStatusCode? statusCode = null,
        int? errorCode = null,
        string? registryMessage = null,
        int attempts = 1,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Method = method;
        RequestUri = requestUri;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        RegistryMessage = registryMessage;
        Attempts = attempts;
    }

    public string Method { get; }

    public Uri RequestUri { get; }

    /// <summary>The HTTP status of the last answer; null when no answer arrived (timeout, connection failure).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The registry's <c>error_code</c> (e.g. 40403 schema not found, 42201 invalid schema), when it sent one.</summary>
    public int? ErrorCode { get; }

    /// <summary>The registry's <c>message</c>, when it sent one.</summary>
    public string? RegistryMessage { get; }

    public int Attempts { get; }

    /// <summary>The schema id is unknown to the registry: a fact about the data, not about the registry's health.</summary>
    public bool IsSchemaNotFound => ErrorCode == SchemaRegistryErrorCodes.SchemaNotFound;
}

/// <summary>The registry's documented <c>error_code</c> values this project relies on.</summary>
internal static class SchemaRegistryErrorCodes
{
    public const int SchemaNotFound = 40403;
    public const int InvalidSchema = 42201;
    public const int BackendStoreError = 50001;
}
