using System.Globalization;
using System.Text;
using AgentStateProcessor.Configuration;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;

namespace AgentStateProcessor.SchemaRegistry;

/// <summary>Which subject a snapshot schema is registered under (Confluent's names for the strategies).</summary>
internal enum SnapshotSubjectNameStrategy
{
    /// <summary><c>{topic}-value</c>: one schema per topic.</summary>
    Topic,
    /// <summary>The record's full name: one subject per record type, whatever the topic.</summary>
    Record,
    /// <summary><c>{topic}-{record full name}</c>.</summary>
    TopicRecord,
}

/// <summary>
/// Where the Confluent-compatible schema registry is and how to talk to it (configuration section
/// <c>SchemaRegistry</c>), mapped onto Confluent's <see cref="SchemaRegistryConfig"/> and
/// <see cref="AvroSerializerConfig"/>. Without <see cref="Url"/> no registry is used.
/// The password, token, client secret and keystore password are never part of
/// <see cref="ToString"/> or of a validation message.
/// </summary>
internal sealed class SchemaRegistryOptions : ISelfValidatingOptions
{
    public const string SectionName = "SchemaRegistry";
    private const string Redacted = "[redacted]";

    /// <summary>Base URL of the registry, or several separated by commas (tried in turn); a path prefix is kept.</summary>
    public string? Url { get; set; }

    public string? BasicAuthUsername { get; set; }

    public string? BasicAuthPassword { get; set; }

    /// <summary>A static bearer token (sent as <c>Authorization: Bearer</c>); excludes basic auth and the OAuth client settings.</summary>
    public string? BearerAuthToken { get; set; }

    /// <summary>OAuth client-credentials flow: the client fetches and renews its token from <see cref="BearerAuthTokenEndpointUrl"/>.</summary>
    public string? BearerAuthClientId { get; set; }

    public string? BearerAuthClientSecret { get; set; }

    public string? BearerAuthScope { get; set; }

    public string? BearerAuthTokenEndpointUrl { get; set; }

    /// <summary>The registry's logical cluster id; Confluent's client requires it with either bearer mode.</summary>
    public string? BearerAuthLogicalCluster { get; set; }

    public string? BearerAuthIdentityPoolId { get; set; }

    /// <summary>PEM file of the CA certificates that sign the registry's certificate.</summary>
    public string? SslCaLocation { get; set; }

    /// <summary>PKCS#12 file with the client certificate and its private key, for registries that require TLS client authentication.</summary>
    public string? SslKeystoreLocation { get; set; }

    public string? SslKeystorePassword { get; set; }

    /// <summary>Off only for test set-ups: the registry's certificate is then accepted unchecked.</summary>
    public bool EnableSslCertificateVerification { get; set; } = true;

    /// <summary>Limit for one HTTP request, connection included.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Further attempts per URL after a failed one that may succeed when repeated (connection failure,
    /// timeout, 408, 429, 500, 502, 503, 504). Confluent's <c>max.retries</c> counts the first attempt
    /// in, so it is given this plus one.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Wait before the first retry; it grows exponentially, with jitter, up to <see cref="RetryBackoffMax"/>.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RetryBackoffMax { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// While the registry stays unavailable after those retries, the processor pauses and asks again
    /// after this wait, doubled after each failed attempt up to <see cref="OutageRetryBackoffMax"/>.
    /// </summary>
    public TimeSpan OutageRetryBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan OutageRetryBackoffMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Schemas kept by the client; when full it forgets all of them and asks again.</summary>
    public int MaxCachedSchemas { get; set; } = 1000;

    public SnapshotSubjectNameStrategy SubjectNameStrategy { get; set; } = SnapshotSubjectNameStrategy.Topic;

    /// <summary>Register the snapshot schemas; off: they must already be registered under their subject, and are looked up.</summary>
    public bool AutoRegisterSchemas { get; set; } = true;

    /// <summary>Write snapshots with the subject's latest registered schema instead of ours; needs <see cref="AutoRegisterSchemas"/> off.</summary>
    public bool UseLatestVersion { get; set; }

    // Bounds that keep a misconfiguration from turning into a start-up that hangs for hours.
    internal const int MaxRetriesLimit = 10;
    internal static readonly TimeSpan RequestTimeoutLimit = TimeSpan.FromMinutes(5);
    internal static readonly TimeSpan RetryBackoffLimit = TimeSpan.FromMinutes(1);
    // Longer than this and a registry that is back goes unnoticed for longer than a liveness or rollout timeout.
    internal static readonly TimeSpan OutageRetryBackoffLimit = TimeSpan.FromMinutes(5);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url);

    public bool HasBasicAuth => !string.IsNullOrEmpty(BasicAuthUsername);

    private bool HasOAuthSettings =>
        IsSet(BearerAuthClientId) || IsSet(BearerAuthClientSecret) || IsSet(BearerAuthScope) || IsSet(BearerAuthTokenEndpointUrl);

    /// <summary>Configuration binds a blank setting as an empty string; it means the same as an absent one.</summary>
    private static bool IsSet(string? value) => !string.IsNullOrEmpty(value);

    /// <summary>The registry URLs, each absolute; empty when <see cref="Url"/> is not set.</summary>
    public IReadOnlyList<Uri> Urls =>
        IsConfigured
            ? [.. Url!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri : new Uri(u, UriKind.Relative))]
            : [];

    IEnumerable<string> ISelfValidatingOptions.Validate() => Validate();

    /// <summary>Every problem with these settings, each naming the setting; empty when they are usable. Never quotes a secret.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var hasUsername = !string.IsNullOrEmpty(BasicAuthUsername);
        var hasPassword = !string.IsNullOrEmpty(BasicAuthPassword);
        var hasToken = !string.IsNullOrEmpty(BearerAuthToken);

        if (IsConfigured)
        {
            foreach (var url in Urls)
            {
                if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                {
                    errors.Add($"{SectionName}:Url must be one or more absolute http(s) URLs separated by commas, but has '{Describe(url)}'.");
                }
                else if (url.UserInfo.Length > 0)
                {
                    // Credentials in the URL would end up in logs and exception messages.
                    errors.Add($"{SectionName}:Url must not contain credentials; use {SectionName}:BasicAuthUsername and {SectionName}:BasicAuthPassword.");
                }
            }
        }
        else if (hasUsername || hasPassword || hasToken || HasOAuthSettings)
        {
            errors.Add($"{SectionName}: credentials are set but {SectionName}:Url is not; set the URL or remove the credentials.");
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

        var authModes = (hasUsername || hasPassword ? 1 : 0) + (hasToken ? 1 : 0) + (HasOAuthSettings ? 1 : 0);
        if (authModes > 1)
        {
            errors.Add($"{SectionName}: choose one authentication: BasicAuthUsername/BasicAuthPassword, BearerAuthToken, or BearerAuthClientId/BearerAuthClientSecret/BearerAuthScope/BearerAuthTokenEndpointUrl.");
        }
        if (HasOAuthSettings)
        {
            foreach (var (name, value) in new[]
                     {
                         ("BearerAuthClientId", BearerAuthClientId), ("BearerAuthClientSecret", BearerAuthClientSecret),
                         ("BearerAuthScope", BearerAuthScope), ("BearerAuthTokenEndpointUrl", BearerAuthTokenEndpointUrl),
                     })
            {
                if (string.IsNullOrEmpty(value))
                {
                    errors.Add($"{SectionName}:{name} is required with OAuth bearer authentication (BearerAuthClientId, BearerAuthClientSecret, BearerAuthScope and BearerAuthTokenEndpointUrl go together).");
                }
            }
            if (!string.IsNullOrEmpty(BearerAuthTokenEndpointUrl)
                && !(Uri.TryCreate(BearerAuthTokenEndpointUrl, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https"))
            {
                errors.Add($"{SectionName}:BearerAuthTokenEndpointUrl must be an absolute http(s) URL.");
            }
        }
        if ((hasToken || HasOAuthSettings) && string.IsNullOrEmpty(BearerAuthLogicalCluster))
        {
            errors.Add($"{SectionName}:BearerAuthLogicalCluster is required with bearer authentication (Confluent's client sends it as the target-sr-cluster header).");
        }
        if (!hasToken && !HasOAuthSettings && (IsSet(BearerAuthLogicalCluster) || IsSet(BearerAuthIdentityPoolId)))
        {
            errors.Add($"{SectionName}:BearerAuthLogicalCluster/BearerAuthIdentityPoolId are set without BearerAuthToken or the OAuth client settings.");
        }

        foreach (var (name, path) in new[] { ("SslCaLocation", SslCaLocation), ("SslKeystoreLocation", SslKeystoreLocation) })
        {
            if (IsSet(path) && !File.Exists(path))
            {
                errors.Add($"{SectionName}:{name} '{path}' does not exist.");
            }
        }
        if (IsSet(SslKeystorePassword) && !IsSet(SslKeystoreLocation))
        {
            errors.Add($"{SectionName}:SslKeystorePassword is set without {SectionName}:SslKeystoreLocation.");
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
        if (RetryBackoffMax < RetryBackoff || RetryBackoffMax > RetryBackoffLimit)
        {
            errors.Add($"{SectionName}:RetryBackoffMax must be between {SectionName}:RetryBackoff and {RetryBackoffLimit}, but is {RetryBackoffMax}.");
        }
        if (OutageRetryBackoff <= TimeSpan.Zero || OutageRetryBackoff > OutageRetryBackoffLimit)
        {
            errors.Add($"{SectionName}:OutageRetryBackoff must be greater than 0 and at most {OutageRetryBackoffLimit}, but is {OutageRetryBackoff}.");
        }
        if (OutageRetryBackoffMax < OutageRetryBackoff || OutageRetryBackoffMax > OutageRetryBackoffLimit)
        {
            errors.Add($"{SectionName}:OutageRetryBackoffMax must be between {SectionName}:OutageRetryBackoff and {OutageRetryBackoffLimit}, but is {OutageRetryBackoffMax}.");
        }
        if (MaxCachedSchemas < 1)
        {
            errors.Add($"{SectionName}:MaxCachedSchemas must be at least 1, but is {MaxCachedSchemas}.");
        }
        if (!Enum.IsDefined(SubjectNameStrategy))
        {
            errors.Add($"{SectionName}:SubjectNameStrategy must be one of {string.Join(", ", Enum.GetNames<SnapshotSubjectNameStrategy>())}, but is {SubjectNameStrategy}.");
        }
        if (UseLatestVersion && AutoRegisterSchemas)
        {
            errors.Add($"{SectionName}:UseLatestVersion needs {SectionName}:AutoRegisterSchemas set to false (Confluent's serializer refuses both).");
        }
        return errors;
    }

    /// <summary>The client's settings; contains the secrets, so never log it.</summary>
    public SchemaRegistryConfig ToSchemaRegistryConfig()
    {
        var config = new SchemaRegistryConfig
        {
            Url = string.Join(',', Urls.Select(u => u.OriginalString)),
            RequestTimeoutMs = Milliseconds(RequestTimeout),
            MaxRetries = MaxRetries + 1,
            RetriesWaitMs = Milliseconds(RetryBackoff),
            RetriesMaxWaitMs = Milliseconds(RetryBackoffMax),
            MaxCachedSchemas = MaxCachedSchemas,
            EnableSslCertificateVerification = EnableSslCertificateVerification,
        };
        if (HasBasicAuth)
        {
            config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            config.BasicAuthUserInfo = $"{BasicAuthUsername}:{BasicAuthPassword}";
        }
        if (!string.IsNullOrEmpty(BearerAuthToken))
        {
            config.BearerAuthCredentialsSource = BearerAuthCredentialsSource.StaticToken;
            config.BearerAuthToken = BearerAuthToken;
        }
        else if (HasOAuthSettings)
        {
            config.BearerAuthCredentialsSource = BearerAuthCredentialsSource.OAuthBearer;
            config.BearerAuthClientId = BearerAuthClientId;
            config.BearerAuthClientSecret = BearerAuthClientSecret;
            config.BearerAuthScope = BearerAuthScope;
            config.BearerAuthTokenEndpointUrl = BearerAuthTokenEndpointUrl;
        }
        if (IsSet(BearerAuthLogicalCluster)) config.BearerAuthLogicalCluster = BearerAuthLogicalCluster;
        if (IsSet(BearerAuthIdentityPoolId)) config.BearerAuthIdentityPoolId = BearerAuthIdentityPoolId;
        if (IsSet(SslCaLocation)) config.SslCaLocation = SslCaLocation;
        if (IsSet(SslKeystoreLocation))
        {
            config.SslKeystoreLocation = SslKeystoreLocation;
            config.SslKeystorePassword = SslKeystorePassword;
        }
        return config;
    }

    /// <summary>The snapshot serializer's settings: the subject strategy, registration and use-latest.</summary>
    public AvroSerializerConfig ToAvroSerializerConfig() => new()
    {
        SubjectNameStrategy = ConfluentStrategy,
        AutoRegisterSchemas = AutoRegisterSchemas,
        UseLatestVersion = UseLatestVersion,
    };

    /// <summary>Confluent's enum value of <see cref="SubjectNameStrategy"/>.</summary>
    public Confluent.SchemaRegistry.SubjectNameStrategy ConfluentStrategy => SubjectNameStrategy switch
    {
        SnapshotSubjectNameStrategy.Topic => Confluent.SchemaRegistry.SubjectNameStrategy.Topic,
        SnapshotSubjectNameStrategy.Record => Confluent.SchemaRegistry.SubjectNameStrategy.Record,
        SnapshotSubjectNameStrategy.TopicRecord => Confluent.SchemaRegistry.SubjectNameStrategy.TopicRecord,
        _ => throw new InvalidOperationException($"{SectionName}:SubjectNameStrategy {SubjectNameStrategy} is not supported."),
    };

    /// <summary>Every setting, secrets replaced by a marker: safe to log.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(SectionName).Append(" { ");
        text.Append(CultureInfo.InvariantCulture, $"Url = {(IsConfigured ? string.Join(",", Urls.Select(Describe)) : "(none)")}");
        if (HasBasicAuth) text.Append(CultureInfo.InvariantCulture, $", BasicAuthUsername = {BasicAuthUsername}");
        Secret(text, "BasicAuthPassword", BasicAuthPassword);
        Secret(text, "BearerAuthToken", BearerAuthToken);
        Plain(text, "BearerAuthClientId", BearerAuthClientId);
        Secret(text, "BearerAuthClientSecret", BearerAuthClientSecret);
        Plain(text, "BearerAuthScope", BearerAuthScope);
        Plain(text, "BearerAuthTokenEndpointUrl", BearerAuthTokenEndpointUrl);
        Plain(text, "BearerAuthLogicalCluster", BearerAuthLogicalCluster);
        Plain(text, "BearerAuthIdentityPoolId", BearerAuthIdentityPoolId);
        Plain(text, "SslCaLocation", SslCaLocation);
        Plain(text, "SslKeystoreLocation", SslKeystoreLocation);
        Secret(text, "SslKeystorePassword", SslKeystorePassword);
        text.Append(CultureInfo.InvariantCulture,
            $", EnableSslCertificateVerification = {EnableSslCertificateVerification}, RequestTimeout = {RequestTimeout}, MaxRetries = {MaxRetries}" +
            $", RetryBackoff = {RetryBackoff}, RetryBackoffMax = {RetryBackoffMax}" +
            $", OutageRetryBackoff = {OutageRetryBackoff}, OutageRetryBackoffMax = {OutageRetryBackoffMax}, MaxCachedSchemas = {MaxCachedSchemas}" +
            $", SubjectNameStrategy = {SubjectNameStrategy}, AutoRegisterSchemas = {AutoRegisterSchemas}, UseLatestVersion = {UseLatestVersion} }}");
        return text.ToString();

        static void Plain(StringBuilder text, string name, string? value)
        {
            if (IsSet(value)) text.Append(", ").Append(name).Append(" = ").Append(value);
        }

        static void Secret(StringBuilder text, string name, string? value)
        {
            if (IsSet(value)) text.Append(", ").Append(name).Append(" = ").Append(Redacted);
        }
    }

    /// <summary>A URL as it may be shown: any user info in it is replaced, since validation may be reporting exactly that.</summary>
    private static string Describe(Uri url) =>
        url.IsAbsoluteUri && url.UserInfo.Length > 0
            ? new UriBuilder(url) { UserName = Redacted, Password = "" }.Uri.ToString()
            : url.OriginalString;

    private static int Milliseconds(TimeSpan value) => (int)Math.Min(int.MaxValue, Math.Ceiling(value.TotalMilliseconds));
}
