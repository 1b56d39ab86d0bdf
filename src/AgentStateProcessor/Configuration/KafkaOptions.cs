namespace AgentStateProcessor.Configuration;

/// <summary>Connection to the Kafka cluster (configuration section <c>Kafka</c>).</summary>
internal sealed class KafkaOptions : ISelfValidatingOptions
{
    public const string SectionName = "Kafka";

    /// <summary>Comma-separated host:port list. Empty: the embedded default (an in-process mock cluster and a simulated contact center).</summary>
    public string? BootstrapServers { get; set; }
    public string ClientId { get; set; } = "agentstateprocessor";
    /// <summary>The consumer group all replicas share; also the prefix of the transactional id.</summary>
    public string GroupId { get; set; } = "agentstateprocessor";
    /// <summary>Makes this instance's transactional id unique in the group; defaults to the host name and a random suffix.</summary>
    public string InstanceId { get; set; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";
    /// <summary>How long the group waits for a member that stopped heartbeating before moving its partitions.</summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(45);
    /// <summary>
    /// Static group membership: the processing consumer joins with <see cref="InstanceId"/> as its
    /// group.instance.id, so a restarted pod that keeps its name (a StatefulSet) gets its partitions
    /// back without a rebalance if it returns within <see cref="SessionTimeout"/>.
    /// </summary>
    public bool StaticMembership { get; set; }
    /// <summary>How long a transaction may stay open before the broker aborts it (exactly-once only).</summary>
    public TimeSpan TransactionTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// How long the broker may hold a fetch that finds no new data (fetch.wait.max.ms); null keeps
    /// librdkafka's 500 ms. A real broker answers as soon as data arrives, so only a cluster that
    /// holds the fetch regardless (the embedded mock) needs it short.
    /// </summary>
    public TimeSpan? FetchWaitMax { get; set; }
    /// <summary>Plaintext, Ssl, SaslPlaintext or SaslSsl.</summary>
    public string SecurityProtocol { get; set; } = "Plaintext";
    /// <summary>Plain, ScramSha256, ScramSha512 (with SASL protocols).</summary>
    public string? SaslMechanism { get; set; }
    public string? SaslUsername { get; set; }
    public string? SaslPassword { get; set; }
    /// <summary>PEM file of the CA certificates that sign the brokers' certificates.</summary>
    public string? SslCaLocation { get; set; }
    /// <summary>PEM client certificate and key, for brokers that require TLS client authentication.</summary>
    public string? SslCertificateLocation { get; set; }
    public string? SslKeyLocation { get; set; }
    public string? SslKeyPassword { get; set; }

    public bool IsEmbedded => string.IsNullOrWhiteSpace(BootstrapServers);

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ClientId)) yield return "Kafka:ClientId must not be empty";
        if (string.IsNullOrWhiteSpace(GroupId)) yield return "Kafka:GroupId must not be empty";
        if (SessionTimeout < TimeSpan.FromSeconds(1) || SessionTimeout > TimeSpan.FromMinutes(30))
        {
            yield return $"Kafka:SessionTimeout must be between 00:00:01 and 00:30:00 (was {SessionTimeout})";
        }
        // The broker refuses transaction timeouts above its transaction.max.timeout.ms (15 minutes by default).
        if (FetchWaitMax is { } wait && (wait < TimeSpan.Zero || wait > TimeSpan.FromSeconds(30)))
        {
            yield return $"Kafka:FetchWaitMax must be between 00:00:00 and 00:00:30 (was {wait})";
        }
        if (TransactionTimeout < TimeSpan.FromSeconds(1) || TransactionTimeout > TimeSpan.FromMinutes(15))
        {
            yield return $"Kafka:TransactionTimeout must be between 00:00:01 and 00:15:00 (was {TransactionTimeout})";
        }
        if (StaticMembership && string.IsNullOrWhiteSpace(InstanceId))
        {
            yield return "Kafka:InstanceId must not be empty when Kafka:StaticMembership is true";
        }
        string[] protocols = ["Plaintext", "Ssl", "SaslPlaintext", "SaslSsl"];
        if (!protocols.Contains(SecurityProtocol, StringComparer.OrdinalIgnoreCase))
        {
            yield return $"Kafka:SecurityProtocol '{SecurityProtocol}' is not one of {string.Join(", ", protocols)}";
        }
        var sasl = SecurityProtocol.StartsWith("Sasl", StringComparison.OrdinalIgnoreCase);
        if (sasl)
        {
            string[] mechanisms = ["Plain", "ScramSha256", "ScramSha512"];
            if (SaslMechanism is null || !mechanisms.Contains(SaslMechanism, StringComparer.OrdinalIgnoreCase))
            {
                yield return $"Kafka:SaslMechanism must be one of {string.Join(", ", mechanisms)} when Kafka:SecurityProtocol is {SecurityProtocol}";
            }
            if (string.IsNullOrEmpty(SaslUsername) || string.IsNullOrEmpty(SaslPassword))
            {
                yield return $"Kafka:SaslUsername and Kafka:SaslPassword are required when Kafka:SecurityProtocol is {SecurityProtocol}";
            }
        }
        else if (SaslMechanism is not null || SaslUsername is not null)
        {
            yield return $"Kafka:SaslMechanism/SaslUsername are set but Kafka:SecurityProtocol is {SecurityProtocol}; use SaslPlaintext or SaslSsl";
        }
        foreach (var (name, path) in new[] { ("SslCaLocation", SslCaLocation), ("SslCertificateLocation", SslCertificateLocation), ("SslKeyLocation", SslKeyLocation) })
        {
            if (path is not null && !File.Exists(path)) yield return $"Kafka:{name} '{path}' does not exist";
        }
        if ((SslCertificateLocation is null) != (SslKeyLocation is null))
        {
            yield return "Kafka:SslCertificateLocation and Kafka:SslKeyLocation go together";
        }
    }
}
