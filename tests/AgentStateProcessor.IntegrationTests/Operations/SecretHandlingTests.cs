using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.IntegrationTests.Pipeline;
using AgentStateProcessor.IntegrationTests.SchemaRegistry;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.SchemaRegistry;
using Confluent.Kafka;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.IntegrationTests.Operations;

/// <summary>
/// Secrets go where they are needed (every Kafka client, the registry client) and nowhere else: not
/// into a log line, an exception the host reports, a dead-letter header, or a configuration file
/// the project ships.
/// </summary>
public sealed partial class SecretHandlingTests(MockClusterFixture cluster) : IClassFixture<MockClusterFixture>
{
    // Distinctive, so a match anywhere can only be a leak.
    private const string SaslUsername = "user-7c41d2";
    private const string SaslPassword = "sasl-pw-3e9f0b8a1d";
    private const string SslKeyPassword = "key-pw-5a6b7c8d9e";
    private const string RegistryUsername = "registry-user-2b7e";
    private const string RegistryPassword = "registry-pw-8d1c4f6a";
    private const string KeystorePassword = "keystore-pw-0f9e8d7c";

    private static readonly string[] Secrets = [SaslPassword, SslKeyPassword, RegistryPassword, KeystorePassword];

    public static TheoryData<string> Roles => ["processing consumer", "restore consumer", "exactly-once producer", "at-least-once producer", "admin", "simulator"];

    [Theory]
    [MemberData(nameof(Roles))]
    public void Tls_and_sasl_settings_reach_every_kafka_client_configuration(string role)
    {
        var options = new KafkaOptions
        {
            BootstrapServers = "broker:9093",
            SecurityProtocol = "SaslSsl",
            SaslMechanism = "ScramSha512",
            SaslUsername = SaslUsername,
            SaslPassword = SaslPassword,
            SslCaLocation = "/etc/kafka/ca.crt",
            SslCertificateLocation = "/etc/kafka/user.crt",
            SslKeyLocation = "/etc/kafka/user.key",
            SslKeyPassword = SslKeyPassword,
        };
        ClientConfig config = role switch
        {
            "processing consumer" => KafkaClientConfigs.Processing(options),
            "restore consumer" => KafkaClientConfigs.Restore(options),
            "exactly-once producer" => KafkaClientConfigs.Output(options, ProcessingGuarantee.ExactlyOnce, "instance-a"),
            "at-least-once producer" => KafkaClientConfigs.Output(options, ProcessingGuarantee.AtLeastOnce, "instance-a"),
            "admin" => KafkaClientConfigs.Admin(options),
            "simulator" => KafkaClientConfigs.Simulator(options),
            _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
        };

        var settings = config.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["security.protocol"] = "sasl_ssl",
                ["sasl.mechanism"] = "SCRAM-SHA-512",
                ["sasl.username"] = SaslUsername,
                ["sasl.password"] = SaslPassword,
                ["ssl.ca.location"] = "/etc/kafka/ca.crt",
                ["ssl.certificate.location"] = "/etc/kafka/user.crt",
                ["ssl.key.location"] = "/etc/kafka/user.key",
                ["ssl.key.password"] = SslKeyPassword,
            },
            settings.Where(pair => pair.Key.StartsWith("sasl.", StringComparison.Ordinal) || pair.Key.StartsWith("ssl.", StringComparison.Ordinal) || pair.Key == "security.protocol")
                .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal));
    }

    /// <remarks>Basic auth and the CA file are checked in SchemaRegistryOptionsTests; here the client keystore.</remarks>
    [Fact]
    public void The_registry_client_gets_the_keystore_and_its_password()
    {
        var keystore = Path.GetTempFileName();
        try
        {
            var config = new SchemaRegistryOptions
            {
                Url = "https://registry:8081",
                BasicAuthUsername = RegistryUsername,
                BasicAuthPassword = RegistryPassword,
                SslCaLocation = keystore,
                SslKeystoreLocation = keystore,
                SslKeystorePassword = KeystorePassword,
            }.ToSchemaRegistryConfig();

            Assert.Equal((keystore, keystore, KeystorePassword, $"{RegistryUsername}:{RegistryPassword}"),
                (config.SslCaLocation, config.SslKeystoreLocation, config.SslKeystorePassword, config.BasicAuthUserInfo));
        }
        finally
        {
            File.Delete(keystore);
        }
    }

    /// <remarks>
    /// The mock cluster speaks no SASL, so a SASL host cannot connect: the failing connection is
    /// what librdkafka and the host then report, and none of it may carry the password.
    /// </remarks>
    [Fact]
    public async Task A_host_that_cannot_authenticate_logs_and_reports_no_secret()
    {
        var topics = PipelineTopics.Create(cluster, inputPartitions: 1, dnPartitions: 1);
        var settings = topics.Settings(cluster.BootstrapServers, "secret-sasl", extra:
        [
            ("Kafka:SecurityProtocol", "SaslPlaintext"),
            ("Kafka:SaslMechanism", "Plain"),
            ("Kafka:SaslUsername", SaslUsername),
            ("Kafka:SaslPassword", SaslPassword),
            ("Kafka:SslKeyPassword", SslKeyPassword),
        ]);

        var (failure, logs) = await ProcessorHost.StartExpectingFailureWithLogsAsync(settings, TimeSpan.FromSeconds(90));

        Assert.Contains("Kafka", failure.Message, StringComparison.Ordinal);
        Assert.NotEmpty(logs.Entries);
        AssertNoSecret("the failure", failure.ToString());
        AssertNoSecret("the log", string.Join(Environment.NewLine, logs.Entries.Select(e => $"{e} {e.Exception}")));
    }

    /// <remarks>
    /// A host with a password-protected registry and a key password configured processes records
    /// the registry does not know and records that are invalid: its log and every dead letter's
    /// headers are free of the secrets.
    /// </remarks>
    [Fact]
    public async Task A_running_host_puts_no_secret_in_its_log_or_in_dead_letter_headers()
    {
        await using var registry = await TestSchemaRegistryServer.StartAsync(requiredCredentials: (RegistryUsername, RegistryPassword));
        var topics = PipelineTopics.Create(cluster, inputPartitions: 1, dnPartitions: 1);
        var settings = topics.Settings(cluster.BootstrapServers, "secret-running", extra:
        [
            ("Kafka:SslKeyPassword", SslKeyPassword),
            ("SchemaRegistry:Url", registry.Url.ToString()),
            ("SchemaRegistry:BasicAuthUsername", RegistryUsername),
            ("SchemaRegistry:BasicAuthPassword", RegistryPassword),
        ]);
        var partition = new TopicPartition(topics.Input, 0);
        byte[][] values =
        [
            [0, 0, 0, 0x30, 0x39, 2, 0x41],
            Encoding.UTF8.GetBytes("""{"id":"EventAgentLogin","ThisDN":"""),
            Encoding.UTF8.GetBytes("""{"id":"EventAgentLogin","Server":"sip-1","ThisDN":1001}"""),
            [],
        ];

        await using (var host = await ProcessorHost.StartAsync(settings))
        {
            ProducedInput.ProduceInOrder(cluster.BootstrapServers, partition,
                values.Select(value => new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes("acme:agent-1"), Value = value }));
            await host.WaitUntilConsumedAsync(values.Length);
            await host.StopAsync();
            AssertNoSecret("the log", string.Join(Environment.NewLine, host.Logs.Entries.Select(e => $"{e} {e.Exception}")));
        }

        var deadLetters = SnapshotTopics.ReadAll(cluster.BootstrapServers, topics.DeadLetters);
        Assert.Equal(values.Length, deadLetters.Count);
        foreach (var letter in deadLetters)
        {
            var headers = string.Join("; ", letter.Message.Headers.Select(h => $"{h.Key}={Encoding.UTF8.GetString(h.GetValueBytes())}"));
            AssertNoSecret($"the headers of the dead letter at {letter.Offset}", headers);
        }
    }

    /// <summary>
    /// The files the project ships (the processor's defaults, the compose file, the chart's values)
    /// hold no credential: every setting named like one is empty or names where the credential is
    /// (a Secret, a key within it), never the credential itself.
    /// </summary>
    [Fact]
    public void Shipped_configuration_files_hold_no_credential_literal()
    {
        var found = new List<string>();
        foreach (var (name, value) in JsonSettings(RepositoryRoot.PathOf("src", "AgentStateProcessor", "appsettings.json")))
        {
            if (CredentialName().IsMatch(name) && !string.IsNullOrEmpty(value)) found.Add($"appsettings.json {name} = {value}");
        }
        string[] yamlFiles = [Path.Combine("deploy", "compose.yaml"), .. Directory.GetFiles(RepositoryRoot.PathOf("helm"), "values*.yaml", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryRoot.Path, path))];
        Assert.Contains(yamlFiles, file => file.EndsWith("values-production.yaml", StringComparison.Ordinal));
        foreach (var file in yamlFiles)
        {
            foreach (var (line, number) in File.ReadLines(RepositoryRoot.PathOf(file)).Select((line, index) => (line, index + 1)))
            {
                if (YamlSetting().Match(line) is not { Success: true } setting) continue;
                var (name, value) = (setting.Groups["name"].Value, setting.Groups["value"].Value.Trim().Trim('"', '\''));
                if (CredentialName().IsMatch(name) && !ReferenceName().IsMatch(name) && value is not ("" or "null" or "~" or "{}" or "[]"))
                {
                    found.Add($"{file}:{number} {line.Trim()}");
                }
            }
        }
        Assert.True(found.Count == 0, "credential literals in shipped configuration:" + Environment.NewLine + string.Join(Environment.NewLine, found));
    }

    private static void AssertNoSecret(string where, string text)
    {
        var leaked = Secrets.Where(secret => text.Contains(secret, StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, $"{where} holds {string.Join(", ", leaked)}:{Environment.NewLine}{text}");
    }

    private static IEnumerable<(string Name, string? Value)> JsonSettings(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return Flatten("", document.RootElement).ToList();

        static IEnumerable<(string, string?)> Flatten(string prefix, JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Flatten(prefix.Length == 0 ? p.Name : $"{prefix}:{p.Name}", p.Value)),
            JsonValueKind.Array => element.EnumerateArray().SelectMany((e, i) => Flatten($"{prefix}:{i}", e)),
            JsonValueKind.Null => [(prefix, null)],
            _ => [(prefix, element.ToString())],
        };
    }

    [GeneratedRegex("password|secret|token|credential|passwd", RegexOptions.IgnoreCase)]
    private static partial Regex CredentialName();

    /// <summary>Settings that name a Secret or a key inside one (existingSecret, passwordKey), or list pull secrets.</summary>
    [GeneratedRegex("(existingSecret|Key|imagePullSecrets|SecretName|Source)$", RegexOptions.IgnoreCase)]
    private static partial Regex ReferenceName();

    [GeneratedRegex(@"^\s*-?\s*(?<name>[A-Za-z0-9_.\-]+)\s*:\s*(?<value>[^#]*)")]
    private static partial Regex YamlSetting();
}
