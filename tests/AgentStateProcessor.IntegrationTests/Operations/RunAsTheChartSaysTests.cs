using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentStateProcessor.Deployment.Tests.Support;
using AgentStateProcessor.Domain;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.IntegrationTests.Pipeline;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.Processing.Snapshots;
using Confluent.Kafka;
using k8s.Models;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.IntegrationTests.Operations;

/// <summary>
/// The published processor started the way the image's entry point starts it, with exactly the
/// environment, arguments and port that the Helm chart's default values render for the first pod,
/// against the mock cluster: the chart, the image and the process agree on how it is operated.
/// </summary>
public sealed partial class RunAsTheChartSaysTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>, IDisposable
{
    private const int InputRecords = 400;
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(10);

    private readonly string _scratch = Directory.CreateTempSubdirectory("asp-chart-run-").FullName;

    [Fact]
    public async Task The_published_processor_with_the_rendered_env_restores_before_ready_serves_metrics_and_queries_and_exits_zero_on_sigterm()
    {
        var publishDirectory = Publish(Path.Combine(_scratch, "publish"));
        var chart = Helm.Template("--values", ValuesFile(("kafka", "bootstrapServers", fixture.BootstrapServers), ("http", "port", LoopbackPort.Unused())));
        var statefulSet = chart.Single<V1StatefulSet>();
        var pod = statefulSet.Spec.Template.Spec;
        var container = chart.Container;
        var podName = statefulSet.Metadata.Name + "-0";
        var environment = ContainerEnvironment(chart, container, podName);
        var port = Assert.Single(container.Ports);
        var address = new Uri($"http://127.0.0.1:{port.ContainerPort}/");
        var readyPath = HttpGetPath(container.ReadinessProbe, port);
        var livePath = HttpGetPath(container.LivenessProbe, port);
        Assert.Equal(readyPath, HttpGetPath(container.StartupProbe, port));

        var topics = CreateTopics(environment);
        var restored = WriteSnapshotsToRestore(environment["Topics__AgentSnapshots"], topics.InputPartitions);

        using var processor = ProcessorProcess.Start(EntryPointStart(container, publishDirectory, environment));
        var startupBudget = TimeSpan.FromSeconds(container.StartupProbe.PeriodSeconds!.Value * container.StartupProbe.FailureThreshold!.Value);
        var (firstStatus, firstBody) = await FirstAnswerAsync(processor, address, readyPath, startupBudget);
        Assert.True(firstStatus == HttpStatusCode.ServiceUnavailable, $"ready before its partitions were assigned and restored: {firstBody}");
        Assert.Matches("no partitions assigned|restoring|producer is not initialised", firstBody);
        Assert.Equal(HttpStatusCode.OK, (await HttpProbe.GetAsync(address, livePath)).Status);

        await HttpProbe.WaitForAsync(address, readyPath, (status, _) => status == HttpStatusCode.OK, "ready", processor.Describe, startupBudget);
        // Ready means restored: the restored snapshot answers at once, without waiting for anything.
        var restoredAgent = restored[0];
        var (restoredStatus, restoredBody) = await HttpProbe.GetAsync(address, $"agents/{restoredAgent.TenantId}/{restoredAgent.AgentId}");
        Assert.True(restoredStatus == HttpStatusCode.OK, restoredBody);
        Assert.True(JsonNode.DeepEquals(SnapshotJson.Of(restoredAgent), JsonNode.Parse(restoredBody)), restoredBody);
        var atReady = await ScrapeAsync(address);
        Assert.Equal(0, atReady["agentstateprocessor_restore_remaining_records"]);
        Assert.True(atReady["agentstateprocessor_restore_duration_seconds_count"] >= 1);

        var input = ProducedInput.Produce(fixture.BootstrapServers, environment["Topics__Input"], ProducedInput.Simulate(seed: 101, InputRecords));
        var agent = ReferenceRun.Of(input).Agents.Values.OrderBy(a => a.Key, StringComparer.Ordinal).First();
        await HttpProbe.WaitForAsync(address, $"agents/{agent.TenantId}/{agent.AgentId}",
            (status, body) => status == HttpStatusCode.OK && JsonNode.DeepEquals(JsonNode.Parse(body), SnapshotJson.Of(agent)),
            $"the committed snapshot of {agent.Key}", processor.Describe);
        var afterInput = await ScrapeAsync(address);

        foreach (var counter in new[]
        {
            "agentstateprocessor_records_total{outcome=\"applied\"}", "agentstateprocessor_snapshots_written_total",
            "agentstateprocessor_transactions_total{outcome=\"committed\"}", "agentstateprocessor_commit_duration_seconds_count",
            "agentstateprocessor_freshness_seconds_count",
        })
        {
            Assert.True(afterInput.GetValueOrDefault(counter) > atReady.GetValueOrDefault(counter),
                $"{counter} did not move: {atReady.GetValueOrDefault(counter)} then {afterInput.GetValueOrDefault(counter)}");
        }
        Assert.Contains(afterInput, s => s.Key.StartsWith("agentstateprocessor_dead_letters_total{code=", StringComparison.Ordinal) && s.Value > 0);
        Assert.Equal(2 * topics.InputPartitions, afterInput["agentstateprocessor_assigned_partitions"]);
        Assert.True(afterInput["agentstateprocessor_rebalances_total"] >= 1);

        processor.Terminate();
        var exit = await processor.WaitForExitAsync(TimeSpan.FromSeconds(pod.TerminationGracePeriodSeconds!.Value));

        Assert.True(exit.ExitCode == 0, exit.ToString());
        // The chart asks for JSON console logs: every line the processor logs is one JSON object.
        var logs = exit.OutputLines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Contains(logs, e => Message(e).StartsWith("Left the consumer group after committing", StringComparison.Ordinal));
        Assert.Contains(logs, e => Message(e).Contains($"restored {restored.Count} snapshots", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, e => e.GetProperty("LogLevel").GetString() is "Error" or "Critical");
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    /// <summary>Runs the Dockerfile's publish command from the repository root (the build stage's context), into <paramref name="directory"/>.</summary>
    private static string Publish(string directory)
    {
        var command = Dockerfile.Load().PublishCommand;
        Assert.Contains($" -o {Dockerfile.PublishDirectory} ", command);
        var arguments = command.Replace($" -o {Dockerfile.PublishDirectory} ", $" -o {directory} ", StringComparison.Ordinal).Split(' ');
        var start = new ProcessStartInfo(arguments[0] == "dotnet" ? ProcessorProcess.DotnetHost() : arguments[0])
        {
            WorkingDirectory = RepositoryRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments[1..]) start.ArgumentList.Add(argument);
        // The test run's own MSBuild settings must not steer this build; and no build server or node may
        // outlive it holding the output pipes open.
        foreach (var name in start.Environment.Keys.Where(n => n.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList()) start.Environment.Remove(name);
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        using var publish = Process.Start(start) ?? throw new InvalidOperationException("dotnet publish did not start");
        var error = publish.StandardError.ReadToEndAsync();
        var output = publish.StandardOutput.ReadToEndAsync();
        if (!publish.WaitForExit(PublishTimeout))
        {
            publish.Kill(entireProcessTree: true);
            Assert.Fail($"{command} did not finish within {PublishTimeout}");
        }
        publish.WaitForExit();
        Assert.True(publish.ExitCode == 0, $"{string.Join(' ', arguments)} failed:{Environment.NewLine}{output.Result}{error.Result}");
        return directory;
    }

    /// <summary>A values file with only what this test must set; every other value is the chart's default.</summary>
    private string ValuesFile(params (string Section, string Key, object Value)[] values)
    {
        var yaml = new StringBuilder();
        foreach (var section in values.GroupBy(v => v.Section))
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"{section.Key}:");
            foreach (var (_, key, value) in section) yaml.AppendLine(CultureInfo.InvariantCulture, $"  {key}: {JsonSerializer.Serialize(value)}");
        }
        var path = Path.Combine(_scratch, "test-values.yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    /// <summary>
    /// The container's environment as the kubelet builds it: the image's ENV, then envFrom (in order),
    /// then env, later entries winning; <c>$(NAME)</c> in a value refers to an earlier variable.
    /// The default values reference no Secret, so a secretKeyRef fails the test.
    /// </summary>
    private static Dictionary<string, string> ContainerEnvironment(RenderedChart chart, V1Container container, string podName)
    {
        var configMaps = chart.All<V1ConfigMap>().ToDictionary(c => c.Metadata.Name, c => c.Data ?? new Dictionary<string, string>());
        var environment = new Dictionary<string, string>(Dockerfile.Load().RuntimeEnvironment, StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            Assert.True(source.SecretRef is null, $"the default values reference the Secret {source.SecretRef?.Name}");
            foreach (var (key, value) in configMaps[source.ConfigMapRef.Name]) environment[(source.Prefix ?? "") + key] = value;
        }
        foreach (var variable in container.Env ?? [])
        {
            environment[variable.Name] = variable.ValueFrom switch
            {
                null => Expand(variable.Value ?? "", environment),
                { FieldRef.FieldPath: "metadata.name" } => podName,
                { ConfigMapKeyRef: { } reference } => configMaps[reference.Name][reference.Key],
                var other => throw new InvalidOperationException($"{variable.Name}: a source this test does not resolve: {other.SecretKeyRef?.Name ?? other.FieldRef?.FieldPath ?? other.ResourceFieldRef?.Resource}"),
            };
        }
        return environment;
    }

    /// <summary>
    /// What the image's ENTRYPOINT (or the container's command, which replaces it) runs with the
    /// container's args, in the runtime stage's working directory (the published files), with the
    /// container's environment and only what the host needs to find dotnet besides.
    /// </summary>
    private static ProcessStartInfo EntryPointStart(V1Container container, string publishDirectory, IReadOnlyDictionary<string, string> environment)
    {
        IEnumerable<string> executable = container.Command is { } replaced ? replaced : Dockerfile.Load().EntryPoint;
        var command = executable.Concat(container.Args ?? []).Select(a => Expand(a, environment)).ToList();
        var start = new ProcessStartInfo(command[0] == "dotnet" ? ProcessorProcess.DotnetHost() : command[0]) { WorkingDirectory = publishDirectory };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        start.Environment.Clear();
        foreach (var name in new[] { "PATH", "HOME", "DOTNET_ROOT" })
        {
            if (Environment.GetEnvironmentVariable(name) is { } value) start.Environment[name] = value;
        }
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return start;
    }

    private static string Expand(string value, IReadOnlyDictionary<string, string> environment) =>
        Reference().Replace(value, match => environment.TryGetValue(match.Groups[1].Value, out var resolved) ? resolved : match.Value);

    private static string HttpGetPath(V1Probe probe, V1ContainerPort port)
    {
        Assert.True(probe.HttpGet.Port.Value == port.Name || probe.HttpGet.Port.Value == port.ContainerPort.ToString(CultureInfo.InvariantCulture),
            $"the probe's port {probe.HttpGet.Port.Value} is not the container's port");
        return probe.HttpGet.Path.TrimStart('/');
    }

    /// <summary>The chart's topics, created beforehand as the mock cluster implements no CreateTopics; partitions as the values document.</summary>
    private (int InputPartitions, string[] Names) CreateTopics(IReadOnlyDictionary<string, string> environment)
    {
        var inputPartitions = int.Parse(YamlNodes.LoadFile(Path.Combine(Helm.ChartDirectory, "values.yaml")).Scalar("topics", "inputPartitions"), CultureInfo.InvariantCulture);
        (string Variable, int Partitions, bool Compacted)[] topics =
        [
            ("Topics__Input", inputPartitions, false), ("Topics__AgentSnapshots", inputPartitions, true), ("Topics__DnSnapshots", inputPartitions, true),
            ("Topics__AgentStateChanges", inputPartitions, false),
            ("Topics__DnRepartition", inputPartitions, false), ("Topics__DeadLetters", inputPartitions, false), ("Topics__Progress", 1, true),
        ];
        foreach (var (variable, partitions, compacted) in topics) fixture.CreateTopic(environment[variable], partitions, compacted);
        return (inputPartitions, topics.Select(t => environment[t.Variable]).ToArray());
    }

    /// <summary>
    /// Agent snapshots of a tenant the input never names, on the partitions their keys belong to, so
    /// the first assignment has something to restore; returns the states written.
    /// </summary>
    private List<AgentState> WriteSnapshotsToRestore(string topic, int partitions)
    {
        var history = ProducedInput.Simulate(seed: 103, 300)
            .Select((record, offset) => new ProducedRecord(record.Key, record.Value, record.Timestamp.ToUnixTimeMilliseconds(),
                new TopicPartitionOffset("earlier-input", 0, offset), record.Kind));
        var states = ReferenceRun.Of(history).Agents.Values.Select(a => a with { TenantId = "restored-" + a.TenantId })
            .OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
        using var producer = KafkaTestClient.CreateProducer(KafkaTestClient.ProducerConfig(fixture.BootstrapServers));
        var deliveries = states.Select(state => producer.ProduceAsync(new TopicPartition(topic, KeyPartitioner.PartitionOf(state.Key, partitions)),
            new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes(state.Key), Value = SnapshotCodec.Encode(SnapshotMapper.ToRecord(state)) })).ToList();
        producer.Flush(KafkaTestClient.DefaultTimeout);
        Task.WhenAll(deliveries).GetAwaiter().GetResult();
        Assert.NotEmpty(states);
        return states;
    }

    /// <summary>Polls until the port answers at all, as the startup probe does.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> FirstAnswerAsync(ProcessorProcess processor, Uri address, string path, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await HttpProbe.GetAsync(address, path);
            }
            catch (HttpRequestException e) when (e.InnerException is SocketException)
            {
                if (processor.HasExited || clock.Elapsed > timeout) Assert.Fail($"{path} never answered. {processor.Describe()}");
                await Task.Delay(20);
            }
        }
    }

    private static async Task<Dictionary<string, double>> ScrapeAsync(Uri address)
    {
        var (status, text) = await HttpProbe.GetAsync(address, "metrics");
        Assert.Equal(HttpStatusCode.OK, status);
        return HttpProbe.ParseMetrics(text);
    }

    private static string Message(JsonElement entry) => entry.GetProperty("Message").GetString() ?? "";

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")]
    private static partial Regex Reference();
}
