using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using AgentStateProcessor.Domain;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.IntegrationTests.Pipeline;
using AgentStateProcessor.Kafka;

namespace AgentStateProcessor.IntegrationTests.Operations;

/// <summary>The HTTP port of a running processor: probes, metrics and state queries, over real HTTP against the mock cluster.</summary>
public sealed class HttpSurfaceTests(MockClusterFixture fixture) : IClassFixture<MockClusterFixture>
{
    private const int RecordCount = 600;
    // Both hosts of a two-instance test start together to share the mock's first join window.
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Before_its_producer_is_initialised_the_instance_is_alive_but_not_ready()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 1, dnPartitions: 1);
        // A registry that accepts connections and never answers holds the service before the stream thread starts.
        using var silentRegistry = new TcpListener(IPAddress.Loopback, 0);
        silentRegistry.Start();
        var port = ((IPEndPoint)silentRegistry.LocalEndpoint).Port;
        await using var host = ProcessorHost.Build(topics.Settings(fixture.BootstrapServers, "http-not-ready",
            extra: [("SchemaRegistry:Url", $"http://127.0.0.1:{port}"), ("SchemaRegistry:RequestTimeout", "00:05:00"), ("SchemaRegistry:MaxRetries", "0")]));
        await host.StartAsync();

        var (readyStatus, ready) = await HttpProbe.GetJsonAsync(host, "healthz/ready");
        var (liveStatus, _) = await HttpProbe.GetJsonAsync(host, "healthz/live");
        var (queryStatus, query) = await HttpProbe.GetJsonAsync(host, "agents/t/a");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyStatus);
        Assert.Equal("Unhealthy", ready.GetProperty("status").GetString());
        Assert.Contains("producer is not initialised", ready.GetProperty("checks").GetProperty("partitions").GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, queryStatus);
        Assert.Equal("not-started", query.GetProperty("error").GetString());
        Assert.False(host.Metrics.Ready);
    }

    [Fact]
    public async Task After_restore_the_instance_is_ready_and_answers_agent_and_dn_queries_with_the_snapshot_json_of_committed_state()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 2, dnPartitions: 2);
        await using var host = await ProcessorHost.StartAsync(topics.Settings(fixture.BootstrapServers, "http-queries"));
        var (readyStatus, ready) = await HttpProbe.GetJsonAsync(host, "healthz/ready");
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Contains("4 partitions assigned", ready.GetProperty("checks").GetProperty("partitions").GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.OK, (await HttpProbe.GetAsync(host, "healthz/live")).Status);

        var input = ProducedInput.Produce(fixture.BootstrapServers, topics.Input, ProducedInput.Simulate(seed: 61, RecordCount));
        var reference = ReferenceRun.Of(input);
        await host.WaitUntilConsumedAsync(RecordCount);

        var agent = reference.Agents.Values.OrderBy(a => a.Key, StringComparer.Ordinal).First();
        await HttpProbe.WaitForAsync(host, $"agents/{agent.TenantId}/{agent.AgentId}",
            (status, body) => status == HttpStatusCode.OK && JsonNode.DeepEquals(JsonNode.Parse(body), SnapshotJson.Of(agent)),
            $"the committed snapshot of {agent.Key}");
        var dn = reference.Dns.Values.OrderBy(d => d.Key, StringComparer.Ordinal).First();
        await HttpProbe.WaitForAsync(host, $"dns/{dn.TenantId}/{dn.Dn}",
            (status, body) => status == HttpStatusCode.OK && JsonNode.DeepEquals(JsonNode.Parse(body), SnapshotJson.Of(dn)),
            $"the committed snapshot of DN {dn.Key}");

        // Every agent is committed once the last one seen above is; the list must match the fold exactly.
        var readyAgents = reference.Agents.Values.Where(a => a.State == AgentStatus.Ready && a.TenantId == agent.TenantId)
            .Select(a => a.AgentId).Order(StringComparer.Ordinal).ToList();
        await HttpProbe.WaitForAsync(host, $"agents?tenant={agent.TenantId}&state=ready&limit=1000",
            (status, body) => status == HttpStatusCode.OK && JsonNode.Parse(body)!["total"]!.GetValue<int>() == readyAgents.Count,
            $"{readyAgents.Count} ready agents of {agent.TenantId}");
        var firstPage = (await HttpProbe.GetJsonAsync(host, $"agents?tenant={agent.TenantId}&state=Ready&limit=2")).Json;
        var secondPage = (await HttpProbe.GetJsonAsync(host, $"agents?tenant={agent.TenantId}&state=Ready&limit=2&offset=2")).Json;
        var paged = firstPage.GetProperty("agents").EnumerateArray().Concat(secondPage.GetProperty("agents").EnumerateArray())
            .Select(a => a.GetProperty("agentId").GetString()).ToList();
        Assert.Equal(readyAgents.Take(4), paged);
        Assert.Equal(2, firstPage.GetProperty("nextOffset").GetInt32());

        var (unknownStatus, unknown) = await HttpProbe.GetJsonAsync(host, $"agents/{agent.TenantId}/no-such-agent");
        Assert.Equal(HttpStatusCode.NotFound, unknownStatus);
        Assert.Equal("unknown", unknown.GetProperty("error").GetString());
        var (badStatus, _) = await HttpProbe.GetJsonAsync(host, "agents?state=Asleep");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        await host.StopAsync();
    }

    [Fact]
    public async Task Metrics_show_the_pipeline_series_in_prometheus_text_and_counters_move_while_it_runs()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 2, dnPartitions: 2);
        await using var host = await ProcessorHost.StartAsync(topics.Settings(fixture.BootstrapServers, "http-metrics"));
        var first = await ProduceAndScrapeAsync(host, topics, seed: 71, skip: 0, consumedBefore: 0);
        var second = await ProduceAndScrapeAsync(host, topics, seed: 71, skip: RecordCount, consumedBefore: RecordCount);

        foreach (var name in new[]
        {
            "agentstateprocessor_records_total{outcome=\"applied\"}", "agentstateprocessor_records_total{outcome=\"dead-letter\"}",
            "agentstateprocessor_snapshots_written_total", "agentstateprocessor_transactions_total{outcome=\"committed\"}",
            "agentstateprocessor_commit_duration_seconds_count", "agentstateprocessor_freshness_seconds_count",
        })
        {
            Assert.True(second.GetValueOrDefault(name) > first.GetValueOrDefault(name), $"{name} did not move: {first.GetValueOrDefault(name)} then {second.GetValueOrDefault(name)}");
        }
        Assert.Contains(second, s => s.Key.StartsWith("agentstateprocessor_dead_letters_total{code=", StringComparison.Ordinal) && s.Value > 0);
        Assert.Contains(second, s => s.Key.StartsWith("agentstateprocessor_records_skipped_total{reason=\"EventMonitoring", StringComparison.Ordinal) && s.Value > 0);
        Assert.Equal(4, second["agentstateprocessor_assigned_partitions"]);
        Assert.True(second["agentstateprocessor_rebalances_total"] >= 1);
        Assert.True(second["agentstateprocessor_restore_duration_seconds_count"] >= 1);
        Assert.Equal(0, second["agentstateprocessor_restore_remaining_records"]);
        Assert.Contains(second, s => s.Key.StartsWith("agentstateprocessor_commit_duration_seconds_bucket{le=", StringComparison.Ordinal));
        Assert.Contains("agentstateprocessor_agents{state=\"Ready\"}", second.Keys);

        // librdkafka reports statistics every 5 s: lag per assigned partition (once a partition delivered a
        // record) and round-trip time per broker. The wait is for the very series asserted: an earlier report
        // may list another partition's lag only.
        var inputLag = $"agentstateprocessor_consumer_lag_records{{partition=\"1\",topic=\"{topics.Input}\"}}";
        var (_, text) = await HttpProbe.WaitForAsync(host, "metrics",
            (_, body) => body.Contains(inputLag, StringComparison.Ordinal) && body.Contains("agentstateprocessor_broker_rtt_seconds{", StringComparison.Ordinal),
            "consumer lag of the input's partition 1 and broker round-trip series");
        var samples = HttpProbe.ParseMetrics(text);
        Assert.Contains(inputLag, samples.Keys);
        Assert.All(samples.Where(s => s.Key.StartsWith("agentstateprocessor_broker_rtt_seconds", StringComparison.Ordinal)), s => Assert.True(s.Value > 0));
        Assert.DoesNotContain(samples.Keys, k => k.Contains("GroupCoordinator", StringComparison.Ordinal));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_key_of_a_partition_another_instance_owns_is_a_404_naming_the_partition()
    {
        var topics = PipelineTopics.Create(fixture, inputPartitions: 2, dnPartitions: 2);
        var hosts = await Task.WhenAll(
            ProcessorHost.StartAsync(topics.Settings(fixture.BootstrapServers, "http-owners", instanceId: "owner-x"), JoinTimeout),
            ProcessorHost.StartAsync(topics.Settings(fixture.BootstrapServers, "http-owners", instanceId: "owner-y"), JoinTimeout));
        await using var x = hosts[0];
        await using var y = hosts[1];
        var input = ProducedInput.Produce(fixture.BootstrapServers, topics.Input, ProducedInput.Simulate(seed: 81, RecordCount));
        var agent = ReferenceRun.Of(input).Agents.Values.OrderBy(a => a.Key, StringComparer.Ordinal).First();
        var partition = KeyPartitioner.PartitionOf(agent.Key, 2);
        var path = $"agents/{agent.TenantId}/{agent.AgentId}";
        await x.WaitUntilAsync(_ => x.Metrics.Consumed + y.Metrics.Consumed >= RecordCount + x.Metrics.Repartitioned + y.Metrics.Repartitioned,
            "the input and its repartition records consumed by the two hosts together");

        // Each instance lists the agent partitions it answers for; once the group settled they split the two.
        await HttpProbe.WaitForAsync(x, "agents?limit=1", (_, body) => AgentPartitions(body).Count == 1, "one agent partition of x");
        await HttpProbe.WaitForAsync(y, "agents?limit=1", (_, body) => AgentPartitions(body).Count == 1, "one agent partition of y");
        var ofX = AgentPartitions((await HttpProbe.GetAsync(x, "agents?limit=1")).Body);
        var owner = ofX.Contains(partition) ? x : y;
        var other = owner == x ? y : x;
        await HttpProbe.WaitForAsync(owner, path, (status, _) => status == HttpStatusCode.OK, $"the owner's answer for {agent.Key}");

        var (status, body) = await HttpProbe.GetJsonAsync(other, path);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("owned-elsewhere", body.GetProperty("error").GetString());
        Assert.Equal(partition, body.GetProperty("partition").GetInt32());
        Assert.Equal(topics.Input, body.GetProperty("topic").GetString());
        Assert.Contains($"partition {partition}", body.GetProperty("message").GetString());
        await Task.WhenAll(x.StopAsync(), y.StopAsync());
    }

    private static List<int> AgentPartitions(string listBody) =>
        JsonNode.Parse(listBody)!["partitions"]!.AsArray().Select(p => p!.GetValue<int>()).ToList();

    private async Task<Dictionary<string, double>> ProduceAndScrapeAsync(ProcessorHost host, PipelineTopics topics, int seed, int skip, long consumedBefore)
    {
        // Counted before producing, so the commit waited for is one after the previous scrape. Counted
        // after the records were consumed, it raced the commit holding the last of them: when that
        // commit came first, nothing was left to commit (an empty commit is not counted) and the wait never ended.
        var commitsBefore = host.Metrics.Commits;
        ProducedInput.Produce(fixture.BootstrapServers, topics.Input, ProducedInput.Simulate(seed, RecordCount, skip));
        await host.WaitUntilConsumedAsync(RecordCount + consumedBefore);
        await host.WaitUntilAsync(m => m.Commits > commitsBefore, "a commit of this batch's work");
        var (status, text) = await HttpProbe.GetAsync(host, "metrics");
        Assert.Equal(HttpStatusCode.OK, status);
        return HttpProbe.ParseMetrics(text);
    }
}
