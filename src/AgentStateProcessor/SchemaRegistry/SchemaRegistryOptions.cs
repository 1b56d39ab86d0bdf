using AgentStateProcessor.Configuration;

namespace AgentStateProcessor.SchemaRegistry;

/// <summary>
/// Where the Confluent-compatible schema registry is and how patiently to talk to it
/// (configuration section <c>SchemaRegistry</c>). Without <see cref="Url"/> no registry is used:
/// snapshots are written in Avro single-object encoding instead (README.md, Outputs).
/// </summary>
internal sealed class SchemaRegistryOptions : ISelfValidatingOptions
{
    public const string SectionName = "SchemaRegistry";

    /// <summary>Base URL of the registry, e.g. <c>http://schema-registry:8081</c>; a path prefix is kept.</summary>
    public Uri? Url { get; set; }

    public string? BasicAuthUsername { get; set; }

    public string? BasicAuthPassword { get; set; }

    /// <summary>Limit for one HTTP attempt, response body included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Further attempts after a failed one that may succeed when repeated (5xx, timeout, connection failure).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Wait before the first retry; it doubles with every further retry.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public bool IsConfigured => Url is not null;

    public bool HasBasicAuth => !string.IsNullOrEmpty(BasicAuthUsername);

    // Bounds that keep a misconfiguration from turning into a start-up that hangs for hours.
    internal const int MaxRetriesLimit = 10;
    internal static readonly TimeSpan RequestTimeoutLimit = TimeSpan.FromMinutes(5);
    internal static readonly TimeSpan RetryBackoffLimit = TimeSpan.FromSeconds(30);

    IEnumerable<string> ISelfValidatingOptions.Validate() => Validate();

    /// <summary>Every problem with these settings, each naming the setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var hasUsername = !string.IsNullOrEmpty(BasicAuthUsername);
        var hasPassword = !string.IsNullOrEmpty(BasicAuthPassword);

        if (Url is not null)
        {
            if (!Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{SectionName}:Url must be an absolute http(s) URL, but is '{Url.OriginalString}'.");
            }
            else if (Url.UserInfo.Length > 0)
            {
                // Credentials in the URL would end up in logs and exception messages.
                errors.Add($"{SectionName}:Url must not contain credentials; use {SectionName}:BasicAuthUsername and {SectionName}:BasicAuthPassword.");
            }
        }
        else if (hasUsername || hasPassword)
        {
            errors.Add($"{SectionName}:BasicAuthUsername/BasicAuthPassword are set but {SectionName}:Url is not; set the URL or remove the credentials.");
        }

        if (hasUsername && !hasPassword)
        {
            errors.Add($"{SectionName}:BasicAuthUsername is set without {SectionName}:BasicAuthPassword.");
        }
        if (hasPassword && !hasUsername)
        {
            errors.Add($"{SectionName}:BasicAuthPassword is set without {SectionName}:BasicAuthUsername.");
        }
        if (hasUsername && BasicAuthUsername!.Contains(':'))
        {
            errors.Add($"{SectionName}:BasicAuthUsername must not contain ':' (HTTP basic authentication separates user and password with it).");
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > RequestTimeoutLimit)
        {
            errors.Add($"{SectionName}:RequestTimeout must be greater than 0 and at most {RequestTimeoutLimit}, but is {RequestTimeout}.");
        }
        if (MaxRetries is < 0 or > MaxRetriesLimit)
        {
            errors.Add($"{SectionName}:MaxRetries must be between 0 and {MaxRetriesLimit}, but is {MaxRetries}.");
        }
        if (RetryBackoff < TimeSpan.Zero || RetryBackoff > RetryBackoffLimit)
        {
            errors.Add($"{SectionName}:RetryBackoff must be between 0 and {RetryBackoffLimit}, but is {RetryBackoff}.");
        }
        return errors;
    }
}
