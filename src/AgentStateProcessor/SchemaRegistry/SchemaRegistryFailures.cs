using System.Net;
using ConfluentRegistryException = Confluent.SchemaRegistry.SchemaRegistryException;

namespace AgentStateProcessor.SchemaRegistry;

/// <summary>
/// The registry could not be asked: unreachable, no answer in time, or answering 5xx after the
/// client's retries. Asking again later may succeed, so the record that needed the answer must not
/// be dead-lettered; the pipeline pauses the work and asks again with <see cref="AskAgain"/>.
/// </summary>
internal sealed class SchemaRegistryUnavailableException(string message, Exception innerException)
    : Exception(message, innerException)
{
    /// <summary>
    /// Asks the registry the question that failed once more, through the same client: once it is
    /// answered, the answer is cached and the redone work gets past the point that failed. Null when
    /// the thrower has no question to repeat; then redoing the work is the only way to ask.
    /// </summary>
    public Func<Task>? AskAgain { get; init; }
}

/// <summary>
/// The registry, or the OAuth token endpoint, refused the configured credentials (HTTP 401 or 403):
/// a configuration error that no retry mends, so the service should stop and say so.
/// </summary>
internal sealed class SchemaRegistryAuthenticationException(string message, HttpStatusCode statusCode, Exception innerException)
    : Exception(message, innerException)
{
    /// <summary>401 or 403.</summary>
    public HttpStatusCode StatusCode { get; } = statusCode;
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
    /// <param name="askAgain">Repeats the request that failed; becomes <see cref="SchemaRegistryUnavailableException.AskAgain"/>.</param>
    public static Exception? Classify(Exception failure, string operation, Func<Task>? askAgain = null)
    {
        if (failure is ConfluentRegistryException answered)
        {
            return answered.Status switch
            {
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => Refused(operation, answered.Status, answered),
                >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests =>
                    new SchemaRegistryUnavailableException($"The schema registry failed while {operation}: HTTP {(int)answered.Status}: {answered.Message}", answered)
                    {
                        AskAgain = askAgain,
                    },
                _ => null,
            };
        }
        if (RefusedStatus(failure) is { } refused)
        {
            return Refused(operation, refused, failure);
        }
        return failure is HttpRequestException or TimeoutException or TaskCanceledException || IsTokenFetchFailure(failure)
            ? new SchemaRegistryUnavailableException(
                $"The schema registry could not be reached while {operation} (after {SchemaRegistryOptions.SectionName}:MaxRetries retries on every URL): {failure.Message}",
                failure)
            {
                AskAgain = askAgain,
            }
            : null;
    }

    private static SchemaRegistryAuthenticationException Refused(string operation, HttpStatusCode status, Exception failure) =>
        new($"The schema registry or its token endpoint refused the credentials while {operation} (HTTP {(int)status}). " +
            $"Check {SchemaRegistryOptions.SectionName}:BasicAuthUsername/BasicAuthPassword or the {SchemaRegistryOptions.SectionName}:BearerAuth* settings.",
            status, failure);

    /// <summary>
    /// 401 or 403 anywhere in the chain: Confluent's client reports a 401 whose body is not the
    /// registry's JSON as a plain "Unauthorized" request failure, and a token endpoint's refusal
    /// inside its own "Failed to fetch token" exception.
    /// </summary>
    private static HttpStatusCode? RefusedStatus(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case HttpRequestException { StatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } refused:
                    return refused.StatusCode;
                case HttpRequestException { Message: "Unauthorized" }:
                    return HttpStatusCode.Unauthorized;
            }
        }
        return null;
    }

    /// <summary>Confluent's OAuth token provider gives up with a plain exception carrying this message.</summary>
    private static bool IsTokenFetchFailure(Exception failure) =>
        failure.Message.StartsWith("Failed to fetch token", StringComparison.Ordinal);
}
