using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.IntegrationTests.Pipeline;
using AgentStateProcessor.IntegrationTests.Replay;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Schemas;
using Xunit.Abstractions;

namespace AgentStateProcessor.IntegrationTests.Faults;

/// <summary>
/// Over ten thousand damaged records mixed into valid traffic (<see cref="BadInput"/>), through the
/// real host on the mock cluster and through <c>replay</c>: nothing crashes, every record ends in
/// exactly one outcome, dead letters carry the code the local fold gives, and the state of the valid
/// traffic is exact.
/// </summary>
public sealed class BadInputVolumeTests(MockClusterFixture cluster, ITestOutputHelper output) : IClassFixture<MockClusterFixture>
{
    private const int Seed = 1_010;
    private const int ValidRecords = 2_000;
    private const int BadRecords = 10_000;
    private const int MaxMessageBytes = 600;

    /// <summary>
    /// The mock keeps about this much of a partition's log and drops the oldest batches beyond it
    /// (librdkafka's rdkafka_mock.c, max_size); the input and the dead letters must stay well below.
    /// </summary>
    private const int MockPartitionLogBytes = 5 * 1024 * 1024;
    private const int UnreadableLines = 40;

    private static readonly TimeSpan ConsumeTimeout = TimeSpan.FromMinutes(2);

    /// <remarks>
    /// One input partition: a wrong key moves a record to another agent, and a DN's events then
    /// come from several agents; in one partition their order is the order the fold sees too.
    /// </remarks>
    [Fact]
    public async Task Ten_thousand_bad_records_in_valid_traffic_each_get_one_outcome_and_the_valid_state_is_exact()
    {
        var mixed = BadInput.Mix(Seed, ValidRecords, BadRecords, MaxMessageBytes);
        var topics = PipelineTopics.Create(cluster, inputPartitions: 1, dnPartitions: 2);
        var messages = mixed.Select(record => record.ToMessage()).ToList();
        var inputBytes = messages.Sum(m => (m.Key?.Length ?? 0) + (m.Value?.Length ?? 0));
        Assert.True(inputBytes < MockPartitionLogBytes * 3 / 4, $"{inputBytes} bytes of input: the mock would drop the oldest");
        var deliveries = KafkaTestClient.ProduceAll(cluster.BootstrapServers, topics.Input, messages);
        var input = deliveries.Select((delivery, index) => ProducedRecord.From(messages[index], delivery)).ToList();

        var reference = new ReferenceRun(MaxMessageBytes);
        var outcomes = input.Select((record, index) => (mixed[index].Mutation, Outcome: OutcomeOf(reference, record))).ToList();
        var totals = reference.Totals;
        Assert.Equal(input.Count, totals.Records);

        var bad = outcomes.Where(o => o.Mutation != Mutation.None).ToList();
        Assert.True(bad.Count >= 10_000, $"only {bad.Count} bad records");
        AssertEvery(bad, Mutation.Tombstone, IntakeCodes.EmptyValue);
        AssertEvery(bad, Mutation.Oversized, IntakeCodes.TooLarge);
        AssertEvery(bad, Mutation.UnknownSchemaId, IntakeCodes.UnknownSchemaId);
        AssertEvery(bad, Mutation.DeeplyNested, ValidationErrorCodes.MalformedJson);
        AssertEvery(bad, Mutation.InvalidUtf8, ValidationErrorCodes.MalformedJson);
        output.WriteLine(BadInput.Describe(bad));
        output.WriteLine($"{totals.Records} records: applied {totals.Applied}, duplicates {totals.Duplicates}, no state rule {totals.NoStateRule}, " +
            $"skipped {totals.Skipped}, dead letters {totals.DeadLettered} under {totals.DeadLettersByCode.Count} codes");

        await using (var host = await ProcessorHost.StartAsync(topics.Settings(cluster.BootstrapServers, "bad-input-volume",
            extra: ("Processing:MaxMessageBytes", MaxMessageBytes.ToString(CultureInfo.InvariantCulture)))))
        {
            await host.WaitUntilConsumedAsync(input.Count, timeout: ConsumeTimeout);
            Assert.False(host.ServiceTask!.IsCompleted || host.IsStopping, $"bad input stopped the host. {host.Describe()}");
            Assert.Equal((totals.DeadLettered, totals.Skipped), (host.Metrics.DeadLettered, host.Metrics.Skipped));
            await host.StopAsync();
        }

        PipelineAssert.SameAgents(reference.Agents, SnapshotTopics.ReadAgents(cluster.BootstrapServers, topics.AgentSnapshots));
        PipelineAssert.SameDns(reference.Dns, SnapshotTopics.ReadDns(cluster.BootstrapServers, topics.DnSnapshots));
        var deadLetters = SnapshotTopics.ReadAll(cluster.BootstrapServers, topics.DeadLetters);
        output.WriteLine($"{inputBytes} bytes of input, {deadLetters.Sum(Size)} bytes of dead letters");
        PipelineAssert.ExactDeadLetters(reference.DeadLetters, deadLetters);
    }

    private static long Size(Confluent.Kafka.ConsumeResult<byte[]?, byte[]?> record) =>
        (record.Message.Key?.Length ?? 0) + (record.Message.Value?.Length ?? 0)
        + (record.Message.Headers?.Sum(h => h.Key.Length + h.GetValueBytes().Length) ?? 0);

    [Fact]
    public void Replay_of_the_same_mix_reports_each_unreadable_line_and_its_totals_add_up()
    {
        var mixed = BadInput.Mix(Seed, ValidRecords, BadRecords, MaxMessageBytes);
        using var files = new ReplayFiles();
        var path = files.PathOf("bad-input.jsonl");
        var unreadableAt = new HashSet<int>(Enumerable.Range(0, UnreadableLines).Select(i => i * (mixed.Count / UnreadableLines)));
        var lines = 0;
        using (var file = File.Create(path))
        {
            for (var i = 0; i < mixed.Count; i++)
            {
                if (unreadableAt.Contains(i))
                {
                    // A lone surrogate escape: JSON, but no UTF-8 text, so no record can be made of it.
                    file.Write("{\"key\":\"acme:agent-1\",\"value_raw\":\"\\ud800\"}\n"u8);
                    file.Write("\n"u8);
                    lines++;
                }
                file.Write(ReplayLine(mixed[i]));
                file.Write("\n"u8);
                lines++;
            }
        }

        var run = ReplayRun.Of(path, "--quiet", "--max-message-bytes", MaxMessageBytes.ToString(CultureInfo.InvariantCulture));

        var totals = run.Result().GetProperty("totals");
        long Total(string name) => totals.GetProperty(name).GetInt64();
        long Sum(string name) => totals.GetProperty(name).EnumerateObject().Sum(p => p.Value.GetInt64());
        Assert.Equal(UnreadableLines, Total("unreadableLines"));
        Assert.Equal(lines, Total("records") + Total("unreadableLines"));
        Assert.Equal(Total("records"), Total("applied") + Total("duplicates") + Total("noStateRule") + Total("skipped") + Total("invalid"));
        Assert.Equal((Total("invalid"), Total("skipped")), (Sum("invalidByReason"), Sum("skippedByReason")));
        Assert.Equal(UnreadableLines, run.LogLines.Count(line => line.Contains(": unreadable: ", StringComparison.Ordinal)));
        // Every value the intake must refuse whatever its key: tombstones, oversized, framed, nested, invalid UTF-8.
        var refused = mixed.Count(r => r.Mutation is Mutation.Tombstone or Mutation.Oversized or Mutation.UnknownSchemaId or Mutation.DeeplyNested or Mutation.InvalidUtf8);
        Assert.True(Total("invalid") >= refused, $"{Total("invalid")} invalid records, but {refused} values cannot be events");
        output.WriteLine(totals.ToString());
    }

    /// <summary>
    /// One record as a replay line: a record object whose <c>value_raw</c> holds the value's text,
    /// or, for a value that is no UTF-8 text, the bytes themselves as the line (read as a raw value).
    /// </summary>
    private static byte[] ReplayLine(MixedRecord record)
    {
        var value = record.Value ?? [];
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(value);
        }
        catch (DecoderFallbackException)
        {
            return value.Select(b => b is (byte)'\n' or (byte)'\r' ? (byte)' ' : b).ToArray();
        }
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (record.Key is not null) json.WriteString("key", record.Key);
            json.WriteNumber("timestamp", record.Timestamp.ToUnixTimeMilliseconds());
            json.WriteString("value_raw", text);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Feeds one record to the reference and names the one outcome it had.</summary>
    private static string OutcomeOf(ReferenceRun reference, ProducedRecord record)
    {
        var before = Counts(reference);
        var deadLetters = reference.DeadLetters.Count;
        reference.Process([record]);
        var changed = Counts(reference).Zip(before, (after, was) => (after.Name, Delta: after.Count - was.Count)).Where(c => c.Delta != 0).ToList();
        Assert.True(changed is [(_, 1)], $"record at {record.Position} changed the totals by {string.Join(", ", changed)}");
        return changed[0].Name == "dead letter" ? $"dead letter {reference.DeadLetters[deadLetters].Code}" : changed[0].Name;
    }

    private static (string Name, long Count)[] Counts(ReferenceRun reference)
    {
        var totals = reference.Totals;
        return [("applied", totals.Applied), ("duplicate", totals.Duplicates), ("no state rule", totals.NoStateRule),
            ("skipped", totals.Skipped), ("dead letter", totals.DeadLettered)];
    }

    private static void AssertEvery(IEnumerable<(Mutation Mutation, string Outcome)> outcomes, Mutation mutation, string code)
    {
        var of = outcomes.Where(o => o.Mutation == mutation).ToList();
        Assert.NotEmpty(of);
        var other = of.Where(o => o.Outcome != $"dead letter {code}").GroupBy(o => o.Outcome).Select(g => $"{g.Key} x{g.Count()}").ToList();
        Assert.True(other.Count == 0, $"{mutation} records expected as dead letters '{code}', also: {string.Join(", ", other)}");
    }
}
