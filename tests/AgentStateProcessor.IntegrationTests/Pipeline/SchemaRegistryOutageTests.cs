using System.Diagnostics;
using System.Net;
using System.Text;
using AgentStateProcessor.Domain;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.IntegrationTests.Operations;
using AgentStateProcessor.IntegrationTests.SchemaRegistry;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.SchemaRegistry;
using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>
/// A schema registry that is down for a while, at start-up, when a record with a new schema id
/// arrives, or while state is restored: the host waits, not ready and alive, and once the registry
/// answers it carries on by itself with state equal to the local fold and no dead letter for the outage.
/// </summary>
public sealed class SchemaRegistryOutageTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>, IAsyncLifetime
{
    /// <summary>As long as the issue asks the processor to wait out.</summary>
    private static readonly TimeSpan LongOutage = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);
    private const string AvroAgentKey = "tenant-outage:agent-avro";

    private TestSchemaRegistryServer _registry = null!;

    public async Task InitializeAsync() => _registry = await TestSchemaRegistryServer.StartAsync();

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task A_registry_refusing_connections_at_start_up_keeps_the_host_alive_and_not_ready_until_it_answers_then_everything_is_processed_once()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 2, dnPartitions: 2);
        var input = ProducedInput.Produce(fixture.BootstrapServers, topics.Input, ProducedInput.Simulate(seed: 201, 300)).ToList();
        input.AddRange(ProduceAvroLoginThenNotReady(topics, await RegisterLoginSchemaAsync(topics)));

        // Nothing listens on the registry's port, as while its pod restarts.
        await _registry.StartOutageAsync(RegistryOutageKind.ConnectionRefused);
        await using var host = ProcessorHost.Build(Settings(topics, "outage-start"));
        await host.StartAsync();
        var outageStarted = Stopwatch.StartNew();
        await HttpProbe.WaitForAsync(host, "healthz/ready", (status, body) => status == HttpStatusCode.ServiceUnavailable && body.Contains("schema registry", StringComparison.Ordinal),
            "not ready, naming the schema registry");
        await HoldAsync(LongOutage, outageStarted);
        // No request reaches a port nothing listens on: the log counts the attempts.
        await AssertWaitingAsync(host, requests: 0);
        Assert.True(host.Logs.Entries.Count(e => e.Message.StartsWith("Start-up waits for the schema registry", StringComparison.Ordinal)) >= 2,
            $"the host did not ask again. {host.Describe()}");
        Assert.Equal(0, host.Metrics.Consumed);
        await _registry.EndOutageAsync();

        await HttpProbe.WaitForAsync(host, "healthz/ready", (status, _) => status == HttpStatusCode.OK, "ready once the registry answers", SettleTimeout);
        await host.WaitUntilConsumedAsync(input.Count, timeout: SettleTimeout);
        await host.StopAsync();

        AssertSameAsReference(topics, input);
    }

    [Fact]
    public async Task A_registry_that_does_not_answer_when_a_record_with_a_new_schema_id_arrives_pauses_the_host_not_ready_until_it_answers_then_it_resumes_losing_and_doubling_nothing()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 2, dnPartitions: 2);
        var records = ProducedInput.Simulate(seed: 202, 600);
        var loginSchema = await RegisterLoginSchemaAsync(topics);
        await using var host = await ProcessorHost.StartAsync(Settings(topics, "outage-running", ("SchemaRegistry:RequestTimeout", "00:01:00")));
        var input = ProducedInput.Produce(fixture.BootstrapServers, topics.Input, records.Take(300).ToList()).ToList();
        await host.WaitUntilConsumedAsync(input.Count);
        await HttpProbe.WaitForAsync(host, "healthz/ready", (status, _) => status == HttpStatusCode.OK, "ready before the outage");

        // Requests are held unanswered, longer than the broker keeps a transaction open: the stream
        // thread must stop waiting for the answer and pause in time, or its producer is fenced.
        await _registry.StartOutageAsync(RegistryOutageKind.NoAnswer);
        var outageStarted = Stopwatch.StartNew();
        input.AddRange(ProduceAvroLoginThenNotReady(topics, loginSchema));
        input.AddRange(ProducedInput.Produce(fixture.BootstrapServers, topics.Input, records.Skip(300).ToList()));
        await HttpProbe.WaitForAsync(host, "healthz/ready", (status, body) => status == HttpStatusCode.ServiceUnavailable && body.Contains("schema registry", StringComparison.Ordinal),
            "not ready, naming the schema registry");
        await HoldAsync(LongOutage, outageStarted);
        // The first request is still held: waiting for it is the asking again.
        await AssertWaitingAsync(host, requests: 1);
        await _registry.EndOutageAsync();

        await HttpProbe.WaitForAsync(host, "healthz/ready", (status, _) => status == HttpStatusCode.OK, "ready once the registry answers", SettleTimeout);
        var reference = Reference(input);
        // Work is redone from the last commit, which the consumed count cannot tell apart: wait for the state itself.
        await PipelineAssert.EventuallyAsync(() => AssertSameState(topics, reference), SettleTimeout);
        await host.StopAsync();
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Processing paused", StringComparison.Ordinal)
            && e.Message.Contains("did not answer within 00:00:05", StringComparison.Ordinal));
        Assert.Contains(host.Logs.Entries, e => e.Message.StartsWith("The schema registry answers again", StringComparison.Ordinal));

        AssertSameAsReference(topics, input);
    }

    [Fact]
    public async Task A_registry_answering_503_for_schemas_while_state_is_restored_holds_the_restore_until_it_answers_and_the_restored_state_is_exact()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 2, dnPartitions: 2);
        var records = ProducedInput.Simulate(seed: 203, 600);
        var input = ProducedInput.Produce(fixture.BootstrapServers, topics.Input, records.Take(300).ToList()).ToList();
        input.AddRange(ProduceAvroLoginThenNotReady(topics, await RegisterLoginSchemaAsync(topics)));
        await using (var first = await ProcessorHost.StartAsync(Settings(topics, "outage-restore")))
        {
            await first.WaitUntilConsumedAsync(input.Count);
            await first.StopAsync();
        }

        // Registration still answers; the writer schemas of the stored snapshots, which a new client
        // has not cached, do not: the restore on assignment is what meets the outage.
        await _registry.StartOutageAsync(RegistryOutageKind.ServiceUnavailable, path => path.StartsWith("/schemas/ids/", StringComparison.Ordinal));
        await using var host = ProcessorHost.Build(Settings(topics, "outage-restore"));
        await host.StartAsync();
        await HttpProbe.WaitForAsync(host, "healthz/ready", (status, body) => status == HttpStatusCode.ServiceUnavailable && body.Contains("schema registry", StringComparison.Ordinal),
            "not ready, naming the schema registry");
        var outageStarted = Stopwatch.StartNew();
        input.AddRange(ProducedInput.Produce(fixture.BootstrapServers, topics.Input, records.Skip(300).ToList()));
        await HoldAsync(TimeSpan.FromSeconds(5), outageStarted);
        await AssertWaitingAsync(host, requests: 2);
        await _registry.EndOutageAsync();

        await HttpProbe.WaitForAsync(host, "healthz/ready", (status, _) => status == HttpStatusCode.OK, "ready once the registry answers", SettleTimeout);
        await PipelineAssert.EventuallyAsync(() => AssertSameState(topics, Reference(input)), SettleTimeout);
        await host.StopAsync();

        AssertSameAsReference(topics, input);
    }

    [Fact]
    public async Task A_registry_that_refuses_the_credentials_when_asked_again_after_an_outage_stops_the_host_with_one_critical_line()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 1, dnPartitions: 1);
        var loginSchema = await RegisterLoginSchemaAsync(topics);
        await using var host = await ProcessorHost.StartAsync(Settings(topics, "outage-refused"));

        await _registry.StartOutageAsync(RegistryOutageKind.ServiceUnavailable);
        ProduceAvroLoginThenNotReady(topics, loginSchema);
        await HttpProbe.WaitForAsync(host, "healthz/ready", (status, body) => status == HttpStatusCode.ServiceUnavailable && body.Contains("schema registry", StringComparison.Ordinal),
            "not ready, naming the schema registry");
        _registry.FailNextRequests(1_000, HttpStatusCode.Unauthorized);
        await _registry.EndOutageAsync();

        await host.WaitUntilAsync(_ => host.ServiceTask is { IsCompleted: true }, "the processor service stopping", SettleTimeout, failWhenServiceEnds: false);
        var refused = Assert.IsType<SchemaRegistryAuthenticationException>(host.Metrics.Failure);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var critical = Assert.Single(host.Logs.Entries, e => e.Level == LogLevel.Critical);
        Assert.Contains("refused the credentials", critical.Message);
        Assert.True(host.IsStopping, "the host keeps running after its processor service stopped");
        Assert.Empty(SnapshotTopics.ReadAll(fixture.BootstrapServers, topics.DeadLetters));
    }

    /// <summary>Lets an outage that began <paramref name="started"/> last <paramref name="outage"/>.</summary>
    private static Task HoldAsync(TimeSpan outage, Stopwatch started) =>
        Task.Delay(outage > started.Elapsed ? outage - started.Elapsed : TimeSpan.Zero);

    /// <summary>During the outage: still running, alive, not ready, and at least <paramref name="requests"/> requests met the outage.</summary>
    private async Task AssertWaitingAsync(ProcessorHost host, int requests)
    {
        Assert.False(host.ServiceTask?.IsCompleted ?? true, $"the processor service ended during the outage. {host.Describe()}");
        var (status, body) = await HttpProbe.GetAsync(host, "healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("schema registry", body);
        Assert.Equal(HttpStatusCode.OK, (await HttpProbe.GetAsync(host, "healthz/live")).Status);
        Assert.True(_registry.OutageRequests >= requests, $"{_registry.OutageRequests} requests met the outage, fewer than {requests}");
    }

    private Dictionary<string, string?> Settings(PipelineTopics topics, string group, params (string Key, string? Value)[] extra) =>
        topics.Settings(fixture.BootstrapServers, group, extra:
        [
            ("SchemaRegistry:Url", _registry.Url.ToString()),
            // One client retry per attempt and a short cap: the outage is met quickly and its end noticed soon.
            ("SchemaRegistry:MaxRetries", "1"),
            ("SchemaRegistry:OutageRetryBackoff", "00:00:00.200"),
            ("SchemaRegistry:OutageRetryBackoffMax", "00:00:02"),
            .. extra,
        ]);

    /// <summary>The login event's schema, registered under the input's subject without a request the host could see.</summary>
    private async Task<(int Id, RecordSchema Schema)> RegisterLoginSchemaAsync(PipelineTopics topics)
    {
        var json = await File.ReadAllTextAsync(RepositoryRoot.PathOf("schemas", "events", "EventAgentLogin.avsc"));
        return (_registry.Register($"{topics.Input}-value", json), (RecordSchema)Schema.Parse(json));
    }

    /// <summary>A Confluent-framed login whose schema id the host has not seen, then a JSON event of the same agent that depends on it.</summary>
    private List<ProducedRecord> ProduceAvroLoginThenNotReady(PipelineTopics topics, (int Id, RecordSchema Schema) loginSchema)
    {
        var (schemaId, schema) = loginSchema;
        var login = new GenericRecord(schema);
        login.Add("id", "EventAgentLogin");
        login.Add("Server", "voice-sip-09");
        login.Add("ThisDN", "9901");
        login.Add("time", SnapshotMapper.Instant(1767630000_000000L));
        login.Add("AgentID", "agent-avro");
        login.Add("CustomerID", "tenant-outage");
        login.Add("ThisQueue", "9900");
        Message<byte[]?, byte[]?>[] messages =
        [
            new() { Key = Encoding.UTF8.GetBytes(AvroAgentKey), Value = SchemaRegistryPipelineTests.Framed(schemaId, login) },
            KafkaTestClient.Message(AvroAgentKey, """{"id":"EventAgentNotReady","Server":"voice-sip-09","ThisDN":"9901","AgentWorkMode":4,"time":1767630001,"Reasons":{"ReasonCode":"Break"}}"""),
        ];
        return [.. ProducedInput.ProduceInOrder(fixture.BootstrapServers, new TopicPartition(topics.Input, 0), messages)];
    }

    private ReferenceRun Reference(IReadOnlyList<ProducedRecord> input)
    {
        using var client = SchemaRegistryClientFactory.Create(new SchemaRegistryOptions { Url = _registry.Url.ToString() });
        return ReferenceRun.Of(input, decodeFramedAvro: new RegistryAvroDecoder(client).Decode);
    }

    private void AssertSameState(PipelineTopics topics, ReferenceRun reference)
    {
        using var client = SchemaRegistryClientFactory.Create(new SchemaRegistryOptions { Url = _registry.Url.ToString() });
        PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(fixture.BootstrapServers, topics.AgentSnapshots, client));
        PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(fixture.BootstrapServers, topics.DnSnapshots, client));
    }

    /// <summary>
    /// Snapshots equal to the local fold, the Avro agent among them, and exactly the reference's dead
    /// letters (one copy per source position, see <see cref="PipelineAssert.LastCopyPerSource"/>): none for the outage.
    /// </summary>
    private void AssertSameAsReference(PipelineTopics topics, IReadOnlyList<ProducedRecord> input)
    {
        var reference = Reference(input);
        AssertSameState(topics, reference);
        Assert.Equal(AgentStatus.NotReady, reference.Agents[AvroAgentKey].State);
        Assert.NotEmpty(reference.DeadLetters);
        Assert.DoesNotContain(reference.DeadLetters, letter => letter.Record.Key == AvroAgentKey);
        PipelineAssert.ExactDeadLetters(reference.DeadLetters, PipelineAssert.LastCopyPerSource(SnapshotTopics.ReadAll(fixture.BootstrapServers, topics.DeadLetters)));
    }
}
