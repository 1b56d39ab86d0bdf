using System.Text;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.Processing.Tests.Support;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Processing.Tests;

/// <summary>
/// Two runs over the same input from the same state give byte-identical
/// snapshots, and replaying input that a key already reflects changes nothing.
/// </summary>
public sealed class DeterminismTests
{
    private const int FeedLength = 3000;
    private static readonly List<InputRecord> Feed = VoiceFeed.Generate(seed: 42, count: FeedLength);

    private static LocalProcessor NewProcessor() => new(Inputs.Intake());

    private static LocalProcessor Fold(IEnumerable<InputRecord> records, LocalProcessor? into = null)
    {
        var processor = into ?? NewProcessor();
        foreach (var record in records) processor.Process(record);
        return processor;
    }

    /// <summary>Every key's snapshot value bytes, as the processor would publish them.</summary>
    private static SortedDictionary<string, byte[]> Snapshots(LocalProcessor processor)
    {
        var snapshots = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, agent) in processor.Agents.All) snapshots.Add("agent " + key, SnapshotCodec.Encode(SnapshotMapper.ToRecord(agent)));
        foreach (var (key, dn) in processor.Dns.All) snapshots.Add("dn " + key, SnapshotCodec.Encode(SnapshotMapper.ToRecord(dn)));
        return snapshots;
    }

    private static void AssertSameBytes(SortedDictionary<string, byte[]> expected, SortedDictionary<string, byte[]> actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (key, bytes) in expected)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(actual[key]), $"{key} differs:\n{Convert.ToHexString(bytes)}\n{Convert.ToHexString(actual[key])}");
        }
    }

    /// <summary>A new processor whose stores hold the given snapshots read back, as after a restart.</summary>
    private static LocalProcessor Restored(SortedDictionary<string, byte[]> snapshots, IEnumerable<string>? keyOrder = null)
    {
        var processor = NewProcessor();
        foreach (var key in keyOrder ?? snapshots.Keys)
        {
            var bytes = snapshots[key];
            if (key.StartsWith("agent ", StringComparison.Ordinal))
            {
                processor.Agents.Restore(key["agent ".Length..], SnapshotMapper.ToAgentState(SnapshotCodec.Decode(SnapshotSchemas.Agent, bytes)));
            }
            else
            {
                processor.Dns.Restore(key["dn ".Length..], SnapshotMapper.ToDnState(SnapshotCodec.Decode(SnapshotSchemas.Dn, bytes)));
            }
        }
        return processor;
    }

    [Fact]
    public void The_feed_is_valid_and_exercises_every_agent_state_and_dn_event()
    {
        var processor = Fold(Feed);

        Assert.Equal(FeedLength, processor.Totals.Records);
        Assert.Equal(0, processor.Totals.DeadLettered);
        Assert.Equal(0, processor.Totals.Skipped);
        Assert.Equal(FeedLength, processor.Totals.Applied);
        var names = Feed.Select(r => Inputs.Intake().Read(r).Event!.Name).ToHashSet();
        Assert.Equal(VoiceFeed.EventNames.Order(), names.Order());
        Assert.True(processor.Agents.Count >= 10, $"{processor.Agents.Count} agents");
        Assert.True(processor.Dns.Count >= 10, $"{processor.Dns.Count} DNs");
    }

    [Fact]
    public void Folding_the_same_records_twice_from_empty_gives_byte_identical_snapshots()
    {
        AssertSameBytes(Snapshots(Fold(Feed)), Snapshots(Fold(Feed)));
    }

    [Fact]
    public void Sharing_repeated_text_changes_no_byte_whether_the_pool_has_room_is_tiny_or_takes_nothing()
    {
        static LocalProcessor With(InternPool pool) =>
            Fold(Feed, new LocalProcessor(new EventIntake(EventSchemaSet.LoadEmbedded(), Inputs.MaxMessageBytes, internPool: pool)));

        var shared = Snapshots(Fold(Feed));

        AssertSameBytes(shared, Snapshots(With(new InternPool(maxStrings: 0, maxStringLength: 0, maxArrays: 0, maxArrayLength: 0))));
        AssertSameBytes(shared, Snapshots(With(new InternPool(maxStrings: 3, maxStringLength: 128, maxArrays: 2, maxArrayLength: 16))));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(997)]
    [InlineData(1500)]
    [InlineData(2999)]
    public void Folding_on_from_a_state_restored_from_snapshot_bytes_ends_where_one_run_ends(int cut)
    {
        var oneRun = Snapshots(Fold(Feed));

        var restored = Restored(Snapshots(Fold(Feed.Take(cut))));
        Fold(Feed.Skip(cut), into: restored);

        AssertSameBytes(oneRun, Snapshots(restored));
    }

    [Fact]
    public void A_restored_state_that_rereads_the_whole_input_from_the_start_ends_where_one_run_ends()
    {
        // What a restart looks like when the group's offsets were lost: input is read again from offset 0.
        var oneRun = Snapshots(Fold(Feed));
        var restored = Restored(Snapshots(Fold(Feed.Take(FeedLength / 2))));

        Fold(Feed, into: restored);

        AssertSameBytes(oneRun, Snapshots(restored));
        Assert.Equal(FeedLength / 2, restored.Totals.Duplicates);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(700)]
    [InlineData(FeedLength)]
    public void Replaying_a_prefix_after_the_whole_input_changes_no_byte(int prefix)
    {
        var processor = Fold(Feed);
        var before = Snapshots(processor);
        processor.Agents.TakeChanges();
        processor.Dns.TakeChanges();

        var outcomes = Feed.Take(prefix).Select(r => processor.Process(r).Outcome).ToList();

        Assert.All(outcomes, outcome => Assert.Equal(RecordOutcome.Duplicate, outcome));
        Assert.Equal(0, processor.Agents.ChangedCount);
        Assert.Equal(0, processor.Dns.ChangedCount);
        AssertSameBytes(before, Snapshots(processor));
    }

    [Fact]
    public void Restoring_keys_in_another_order_gives_the_same_bytes_and_the_same_change_order()
    {
        var half = Snapshots(Fold(Feed.Take(FeedLength / 2)));
        var forward = Restored(half, half.Keys);
        var random = new Random(9);
        var shuffled = Restored(half, half.Keys.OrderBy(_ => random.Next()));

        Fold(Feed.Skip(FeedLength / 2), into: forward);
        Fold(Feed.Skip(FeedLength / 2), into: shuffled);

        AssertSameBytes(Snapshots(forward), Snapshots(shuffled));
        Assert.Equal(forward.Agents.TakeChanges().Select(c => c.Key), shuffled.Agents.TakeChanges().Select(c => c.Key));
        Assert.Equal(forward.Dns.TakeChanges().Select(c => c.Key), shuffled.Dns.TakeChanges().Select(c => c.Key));
    }

    [Fact]
    public void The_order_in_which_queues_and_muted_connections_arrive_does_not_reach_the_bytes()
    {
        string[] queues = ["Q2", "q1", "Ärzte", "Q10", "Q1"];
        string[] connections = ["c10", "C2", "006b02d5e2a9a00A", "c1"];

        SortedDictionary<string, byte[]> Run(string[] queueOrder, string[] connectionOrder)
        {
            var records = new List<InputRecord>();
            foreach (var queue in queueOrder)
            {
                records.Add(Record($$"""{"id":"EventAgentLogin","Server":"s","ThisDN":"5001","time":1795770000,"AgentID":"a1","ThisQueue":"{{queue}}"}""", records.Count));
            }
            foreach (var connection in connectionOrder)
            {
                records.Add(Record($$"""{"id":"EventMuteOn","ConnID":"{{connection}}","ThisDNRole":1,"ThisDN":"5001"}""", records.Count));
            }
            return Snapshots(Fold(records));
        }

        var sorted = Run([.. queues.Order(StringComparer.Ordinal)], [.. connections.Order(StringComparer.Ordinal)]);
        var reversed = Run([.. queues.Order(StringComparer.Ordinal).Reverse()], [.. connections.Order(StringComparer.Ordinal).Reverse()]);
        var scrambled = Run(queues, connections);

        AssertSameBytes(sorted, reversed);
        AssertSameBytes(sorted, scrambled);
    }

    private static InputRecord Record(string json, int offset) =>
        new("t1:a1", Encoding.UTF8.GetBytes(json), 1_795_770_000_000_000, new(Inputs.Topic, 0, offset));
}
