using System.Net;
using ConfluentRegistryException = Confluent.SchemaRegistry.SchemaRegistryException;

namespace AgentStateProcessor.SchemaRegistry;

/// <summary>
/// The registry could not be asked: unreachable, no answer in time, or answering 5xx after the
/// client's retries. Asking again later may succeed, so the record that needed the answer must not
/// be dead-lettered; the pipeline decides whether to wait or to stop.
/// </summary>
internal sealed class SchemaRegistryUnavailableException(string message, Exception innerException)
    : Exception(message, innerException);

/// <summary>
/// The registry refused the configured credentials (HTTP 401 or 403): a configuration error that
/// no retry mends, so the service should stop and say so.
/// </summary>
internal sealed class SchemaRegistryAuthenticationException(string message, HttpStatusCode? statusCode, Exception innerException)
    : Exception(message, innerException)
{
    /// <summary>401 or 403; null when the registry (or a proxy before it) answered 401 with a body Confluent's client could not read.</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;
}

/// <summary>Sorts the exceptions of Confluent's registry client into the kinds the pipeline handles differently.</summary>
internal static class SchemaRegistryFailures
{
    /// <summary>The registry's <c>error_code</c> for a schema id it does not know.</summary>
    public const int SchemaNotFoundErrorCode = 40403;

    /// <summary>
    /// The exception to throw instead of <paramref name="failure"/> when it says the registry is
    /// unavailable or refused our credentials; null when it is about the request or the data itself.
    /// </summary>
    /// <param name="operation">What was being done, for the message (e.g. "fetching schema id 7").</param>
    public static Exception? Classify(Exception failure, string operation)
    {
        switch (failure)
        {
            case ConfluentRegistryException { Status: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } refused:
                return Refused(operation, refused.Status, refused);
            case ConfluentRegistryException { Status: >= HttpStatusCode.InternalServerError } broken:
                return new SchemaRegistryUnavailableException(
                    $"The schema registry failed while {operation}: HTTP {(int)broken.Status}: {broken.Message}", broken);
            case ConfluentRegistryException:
                return null;
            case HttpRequestException unanswered when IsUnreadableUnauthorized(unanswered):
                return Refused(operation, null, unanswered);
            case HttpRequestException or TimeoutException or TaskCanceledException:
                return new SchemaRegistryUnavailableException(
                    $"The schema registry could not be reached while {operation} (after {SchemaRegistryOptions.SectionName}:MaxRetries retries on every URL): {failure.Message}",
                    failure);
            default:
                return null;
        }
    }

    private static SchemaRegistryAuthenticationException Refused(string operation, HttpStatusCode? status, Exception failure) =>
        new($"The schema registry refused the credentials while {operation} (HTTP {(status is { } s ? (int)s : 401)}). " +
            $"Check {SchemaRegistryOptions.SectionName}:BasicAuthUsername/BasicAuthPassword or the {SchemaRegistryOptions.SectionName}:BearerAuth* settings.",
            status, failure);

    /// <summary>Confluent's client reports a 401 whose body is not the registry's JSON as a plain "Unauthorized" request failure.</summary>
    private static bool IsUnreadableUnauthorized(HttpRequestException failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { Message: "Unauthorized" } or HttpRequestException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden })
            {
                return true;
            }
        }
        return false;
    }
}
