using System.Text.Json;
using AgentStateProcessor.Hosting;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.IntegrationTests.Pipeline;
using AgentStateProcessor.IntegrationTests.SchemaRegistry;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.IntegrationTests.Operations;

/// <summary>How the process ends when it cannot run: one clear line, a documented exit code, no stack trace, no secret.</summary>
public sealed class ProcessExitTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>
{
    [Theory]
    [InlineData("Kafka__SessionTimeout", "6s", "Kafka:SessionTimeout", "00:00:45")]
    [InlineData("Processing__Guarantee", "Twice", "Processing:Guarantee", "ExactlyOnce, AtLeastOnce")]
    [InlineData("Kafka__StaticMembership", "yes", "Kafka:StaticMembership", "true or false")]
    [InlineData("Http__Port", "http", "Http:Port", "8080")]
    public async Task A_value_that_cannot_be_read_stops_the_process_with_one_line_naming_setting_value_and_a_valid_example(
        string variable, string value, string setting, string example)
    {
        var exit = await ProcessorProcess.RunAsync((variable, value));

        Assert.True(ProcessorApp.ExitConfiguration == exit.ExitCode, exit.ToString());
        var line = Assert.Single(exit.ErrorLines);
        Assert.Contains(setting, line);
        Assert.Contains($"'{value}'", line);
        Assert.Contains(example, line);
        Assert.DoesNotContain(" at ", exit.StandardError + exit.StandardOutput);
    }

    [Fact]
    public async Task Invalid_values_stop_the_process_with_one_line_each_and_the_configuration_exit_code()
    {
        var exit = await ProcessorProcess.RunAsync(("Processing__CommitInterval", "00:00:00"), ("Kafka__TransactionTimeout", "01:00:00"));

        Assert.True(ProcessorApp.ExitConfiguration == exit.ExitCode, exit.ToString());
        Assert.Equal(2, exit.ErrorLines.Count);
        Assert.Contains(exit.ErrorLines, l => l.Contains("Processing:CommitInterval", StringComparison.Ordinal));
        Assert.Contains(exit.ErrorLines, l => l.Contains("Kafka:TransactionTimeout", StringComparison.Ordinal));
        Assert.DoesNotContain(" at ", exit.StandardError + exit.StandardOutput);
    }

    private const string SaslPassword = "sasl-Secret-7f3a9c";
    private const string RegistryPassword = "registry-Secret-51b2e8";
    private const string KeyPassword = "sslkey-Secret-c04d17";

    [Fact]
    public async Task No_secret_appears_in_any_log_line_at_debug_with_json_console_logs_when_kafka_cannot_be_reached()
    {
        var closedPort = LoopbackPort.Unused();

        var exit = await ProcessorProcess.RunAsync(
        [
            ("Kafka__BootstrapServers", $"127.0.0.1:{closedPort}"),
            ("Kafka__SecurityProtocol", "SaslPlaintext"),
            ("Kafka__SaslMechanism", "Plain"),
            ("Kafka__SaslUsername", "processor"),
            .. SecretsAndDebugJsonLogs($"http://127.0.0.1:{closedPort}"),
        ]);

        AssertStoppedWithoutSecrets(exit, "cannot read the topics");
    }

    /// <remarks>A registry that cannot be reached is waited out; refused credentials stop the process with exit code 1.</remarks>
    [Fact]
    public async Task No_secret_appears_in_any_log_line_at_debug_with_json_console_logs_when_the_schema_registry_refuses_the_credentials()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 1, dnPartitions: 1);
        var settings = topics.Settings(fixture.BootstrapServers, "no-secrets")
            .Select(s => (s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value!));
        await using var registry = await TestSchemaRegistryServer.StartAsync(requiredCredentials: ("processor", "another-password"));

        var exit = await ProcessorProcess.RunAsync(
        [
            .. settings,
            .. SecretsAndDebugJsonLogs(registry.Url.ToString()),
        ]);

        AssertStoppedWithoutSecrets(exit, "refused the credentials");
    }

    private static (string, string)[] SecretsAndDebugJsonLogs(string registryUrl) =>
    [
        ("Kafka__SaslPassword", SaslPassword),
        ("Kafka__SslKeyPassword", KeyPassword),
        ("SchemaRegistry__Url", registryUrl),
        ("SchemaRegistry__BasicAuthUsername", "processor"),
        ("SchemaRegistry__BasicAuthPassword", RegistryPassword),
        ("Logging__LogLevel__Default", "Debug"),
        ("Logging__Console__FormatterName", "json"),
    ];

    private static void AssertStoppedWithoutSecrets(ProcessorExit exit, string reason)
    {
        Assert.True(ProcessorApp.ExitFailed == exit.ExitCode, exit.ToString());
        var everything = exit.StandardOutput + exit.StandardError;
        foreach (var secret in new[] { SaslPassword, RegistryPassword, KeyPassword }) Assert.DoesNotContain(secret, everything);
        // JSON console logs: one JSON object per line, the stop reason among them once, as Critical.
        // (librdkafka writes its own lines to standard error, as text.)
        var entries = exit.OutputLines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var critical = Assert.Single(entries, e => e.GetProperty("LogLevel").GetString() == "Critical");
        Assert.StartsWith("AgentStateProcessor stops: ", critical.GetProperty("Message").GetString());
        Assert.Contains(reason, critical.GetProperty("Message").GetString());
        Assert.Contains(entries, e => e.GetProperty("LogLevel").GetString() == "Debug");
    }

    [Fact]
    public async Task A_fatal_stop_logs_its_reason_once_as_critical_and_its_stack_trace_only_at_debug()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 1, dnPartitions: 1, agentSnapshotPartitions: 2);

        var (failure, logs) = await ProcessorHost.StartExpectingFailureWithLogsAsync(topics.Settings(fixture.BootstrapServers, "fatal-once",
            extra: ("Logging:LogLevel:Default", "Debug")));

        var critical = Assert.Single(logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Equal($"AgentStateProcessor stops: {failure.Message}", critical.Message);
        Assert.Null(critical.Exception);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Error && e != critical);
        Assert.All(logs.Entries.Where(e => e.Exception is not null), e => Assert.Equal(LogLevel.Debug, e.Level));
        Assert.Contains(logs.Entries, e => e.Exception == failure);
    }

    [Fact]
    public async Task Sigterm_commits_leaves_the_group_and_exits_zero_and_only_http_port_is_bound_whatever_aspnetcore_variables_say()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 1, dnPartitions: 1);
        var settings = topics.Settings(fixture.BootstrapServers, "sigterm").Select(s => (s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value!))
            // What the aspnet base image sets, and what an operator might add.
            .Append(("ASPNETCORE_HTTP_PORTS", "8080")).Append(("ASPNETCORE_URLS", "http://+:8081")).ToArray();
        ProducedInput.Produce(fixture.BootstrapServers, topics.Input, ProducedInput.Simulate(seed: 91, 200));
        using var processor = ProcessorProcess.Start(settings);
        await processor.WaitForOutputAsync("Assigned ", ProcessorHost.DefaultWaitTimeout);

        processor.Terminate();
        var exit = await processor.WaitForExitAsync();

        Assert.True(ProcessorApp.ExitStopped == exit.ExitCode, exit.ToString());
        Assert.Contains("Left the consumer group after committing", exit.StandardOutput);
        Assert.DoesNotContain(" crit: ", exit.StandardOutput);
        Assert.DoesNotContain("Overriding", exit.StandardOutput);
        var listening = Assert.Single(exit.OutputLines, l => l.Contains("Now listening on", StringComparison.Ordinal));
        Assert.DoesNotContain(":8080", listening);
        Assert.DoesNotContain(":8081", listening);
    }
}
