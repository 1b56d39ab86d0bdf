using System.Text;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.Processing.Changes;
using AgentStateProcessor.Processing.Snapshots;
using Confluent.SchemaRegistry;
using Confluent.Kafka;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>Comparisons of what the pipeline wrote with what the reference run says it should have.</summary>
internal static class PipelineAssert
{
    private const int ShownDifferences = 5;

    /// <summary>Same keys, and per key the same value in every snapshot field (compared as plain JSON, so a failure shows both).</summary>
    public static void SameAgents(IReadOnlyDictionary<string, AgentState> expected, IReadOnlyDictionary<string, Snapshot<AgentState>> actual) =>
        SameStates("agent", expected, actual, state => Json(SnapshotMapper.ToRecord(state)));

    public static void SameDns(IReadOnlyDictionary<string, DnState> expected, IReadOnlyDictionary<string, Snapshot<DnState>> actual) =>
        SameStates("DN", expected, actual, state => Json(SnapshotMapper.ToRecord(state)));

    /// <summary>
    /// The change topic (read_committed) holds exactly the <paramref name="expected"/> changes (the
    /// reference run's, in input order): per key the same changes in the same order, field for field,
    /// each keyed <c>tenant:agent</c> on the partition of the input record that made it.
    /// </summary>
    /// <param name="abortedCopiesVisible">
    /// The test aborted a transaction (a redo, a killed host) on the mock cluster, which delivers
    /// aborted records to read_committed readers: a change may then show more than once, and every
    /// copy must be the same bytes (the redo made the same change), one of them counting.
    /// </param>
    /// <param name="registry">For changes in the Confluent wire format.</param>
    public static void ChangesMatch(IReadOnlyList<AgentStateChange> expected, string bootstrapServers, string changeTopic,
        bool abortedCopiesVisible = false, ISchemaRegistryClient? registry = null) =>
        ChangesMatch(expected, SnapshotTopics.ReadChanges(bootstrapServers, changeTopic, registry), abortedCopiesVisible);

    /// <inheritdoc cref="ChangesMatch(IReadOnlyList{AgentStateChange}, string, string, bool, ISchemaRegistryClient?)"/>
    /// <param name="actual">Change records already read, in partition then offset order.</param>
    public static void ChangesMatch(IReadOnlyList<AgentStateChange> expected, IReadOnlyList<ChangeRecord> actual, bool abortedCopiesVisible = false)
    {
        var problems = new List<string>();
        var misplaced = actual.Where(r => r.Key != r.Change.Key || r.Partition != r.Change.Source.Partition).ToList();
        if (misplaced.Count > 0)
        {
            problems.Add($"{misplaced.Count} changes not keyed tenant:agent on their input partition, e.g. " +
                string.Join(", ", misplaced.Take(ShownDifferences).Select(r => $"key {r.Key} on partition {r.Partition} for {r.Change.Key} from {r.Change.Source}")));
        }

        var copies = actual.GroupBy(r => r.Change.Source).ToList();
        var repeated = copies.Where(g => g.Count() > 1).ToList();
        if (!abortedCopiesVisible && repeated.Count > 0)
        {
            problems.Add($"{repeated.Count} changes written more than once, e.g. from {string.Join(", ", repeated.Take(ShownDifferences).Select(g => $"{g.Key} x{g.Count()}"))}");
        }
        var differentCopies = repeated.Where(g => g.Select(r => Convert.ToHexString(r.Value)).Distinct().Count() > 1).ToList();
        if (differentCopies.Count > 0)
        {
            problems.Add($"{differentCopies.Count} changes redone differently, e.g. from {string.Join(", ", differentCopies.Take(ShownDifferences).Select(g => g.Key))}");
        }

        // First copies in topic order: a redo writes its copies after the aborted ones, in the same order.
        var actualByKey = copies.Select(g => g.First().Change).ToLookup(c => c.Key);
        var expectedByKey = expected.ToLookup(c => c.Key);
        var keys = expectedByKey.Select(g => g.Key).Union(actualByKey.Select(g => g.Key)).Order(StringComparer.Ordinal).ToList();
        var differing = keys
            .Select(key => (Key: key, Expected: expectedByKey[key].Select(Json).ToList(), Actual: actualByKey[key].Select(Json).ToList()))
            .Where(k => !k.Expected.SequenceEqual(k.Actual))
            .ToList();
        if (differing.Count > 0)
        {
            problems.Add($"the changes of {differing.Count} of {keys.Count} agents differ from the reference ({expected.Count} changes in all), e.g.:");
            foreach (var (key, expectedChanges, actualChanges) in differing.Take(ShownDifferences))
            {
                var at = Enumerable.Range(0, Math.Max(expectedChanges.Count, actualChanges.Count))
                    .First(i => i >= expectedChanges.Count || i >= actualChanges.Count || expectedChanges[i] != actualChanges[i]);
                problems.Add($"  {key}: {expectedChanges.Count} expected, {actualChanges.Count} written; change {at} differs{Environment.NewLine}" +
                    $"    expected {(at < expectedChanges.Count ? expectedChanges[at] : "none")}{Environment.NewLine}" +
                    $"    actual   {(at < actualChanges.Count ? actualChanges[at] : "none")}");
            }
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>A change as plain JSON of its Avro record: equal strings mean equal in every field.</summary>
    public static string Json(AgentStateChange change) => Json(AgentStateChangeMapper.ToRecord(change));

    private static string Json(Avro.Generic.GenericRecord snapshot)
    {
        using var buffer = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer)) PlainJson.Write(writer, snapshot.Schema, snapshot);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void SameStates<TState>(string what, IReadOnlyDictionary<string, TState> expected,
        IReadOnlyDictionary<string, Snapshot<TState>> actual, Func<TState, string> describe)
    {
        var problems = new List<string>();
        var missing = expected.Keys.Except(actual.Keys).Order(StringComparer.Ordinal).ToList();
        var extra = actual.Keys.Except(expected.Keys).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0) problems.Add($"{missing.Count} {what} keys have no snapshot: {string.Join(", ", missing.Take(ShownDifferences))}");
        if (extra.Count > 0) problems.Add($"{extra.Count} {what} snapshots the reference has no state for: {string.Join(", ", extra.Take(ShownDifferences))}");
        var differing = expected.Keys.Intersect(actual.Keys)
            .Order(StringComparer.Ordinal)
            .Select(key => (Key: key, Expected: describe(expected[key]), Actual: describe(actual[key].State)))
            .Where(pair => pair.Expected != pair.Actual)
            .ToList();
        if (differing.Count > 0)
        {
            problems.Add($"{differing.Count} of {expected.Count} {what} states differ from the reference, e.g.:");
            problems.AddRange(differing.Take(ShownDifferences).Select(d => $"  {d.Key}{Environment.NewLine}    expected {d.Expected}{Environment.NewLine}    actual   {d.Actual}"));
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// The dead-letter topic holds exactly the expected records, each once, with the original key and
    /// value bytes and headers naming the error and the source position.
    /// </summary>
    public static void ExactDeadLetters(IReadOnlyList<ExpectedDeadLetter> expected, IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> actual)
    {
        var bySource = new Dictionary<TopicPartitionOffset, List<ConsumeResult<byte[]?, byte[]?>>>();
        foreach (var record in actual)
        {
            var source = DeadLetterSource(record);
            (bySource.TryGetValue(source, out var list) ? list : bySource[source] = []).Add(record);
        }

        var duplicated = bySource.Where(pair => pair.Value.Count > 1).Select(pair => $"{pair.Key} x{pair.Value.Count}").ToList();
        Assert.True(duplicated.Count == 0, $"dead letters written more than once: {string.Join(", ", duplicated.Take(ShownDifferences))}");
        var expectedSources = expected.Select(e => e.Record.Position).ToHashSet();
        var unexpected = bySource.Keys.Where(source => !expectedSources.Contains(source)).ToList();
        Assert.True(unexpected.Count == 0, $"{unexpected.Count} dead letters the reference does not expect, from {string.Join(", ", unexpected.Take(ShownDifferences))}");
        var absent = expected.Where(e => !bySource.ContainsKey(e.Record.Position)).ToList();
        Assert.True(absent.Count == 0,
            $"{absent.Count} of {expected.Count} expected dead letters are missing, e.g. {string.Join(", ", absent.Take(ShownDifferences).Select(a => $"{a.Record.Position} ({a.Code})"))}");

        foreach (var letter in expected)
        {
            var record = bySource[letter.Record.Position].Single();
            var where = $"dead letter of {letter.Record.Position}";
            Assert.True(SameBytes(letter.Record.Key is null ? null : Encoding.UTF8.GetBytes(letter.Record.Key), record.Message.Key), $"{where}: key bytes changed");
            Assert.True(SameBytes(letter.Record.Value, record.Message.Value), $"{where}: value bytes changed");
            Assert.Equal((where, letter.Code), (where, DeadLetterCode(record)));
            Assert.Equal((where, letter.Reason), (where, Header(record.Message.Headers, RecordHeaders.ErrorReason)));
        }
    }

    /// <summary>Retries <paramref name="assertion"/> until it passes; after <paramref name="timeout"/>, its last failure stands.</summary>
    public static async Task EventuallyAsync(Action assertion, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                assertion();
                return;
            }
            catch (Xunit.Sdk.XunitException) when (waited.Elapsed < timeout)
            {
                await Task.Delay(250);
            }
        }
    }

    /// <summary>
    /// The last copy of each dead letter by source position: the mock delivers an aborted
    /// transaction's records to read_committed readers, so a redone record's letter shows twice there.
    /// </summary>
    public static List<ConsumeResult<byte[]?, byte[]?>> LastCopyPerSource(IEnumerable<ConsumeResult<byte[]?, byte[]?>> deadLetters) =>
        deadLetters
            .GroupBy(DeadLetterSource)
            .Select(copies => copies.Last())
            .ToList();

    /// <summary>The error code a dead letter carries in its headers.</summary>
    public static string? DeadLetterCode(ConsumeResult<byte[]?, byte[]?> deadLetter) => Header(deadLetter.Message.Headers, RecordHeaders.ErrorCode);

    /// <summary>The input position a dead letter names in its headers.</summary>
    public static TopicPartitionOffset DeadLetterSource(ConsumeResult<byte[]?, byte[]?> deadLetter)
    {
        var headers = deadLetter.Message.Headers;
        return new TopicPartitionOffset(
            Header(headers, RecordHeaders.SourceTopic) ?? "(no dlq.source.topic)",
            new Partition(int.Parse(Header(headers, RecordHeaders.SourcePartition) ?? "-1")),
            new Offset(long.Parse(Header(headers, RecordHeaders.SourceOffset) ?? "-1")));
    }

    /// <summary>
    /// Every snapshot ever published, not only the last per key, is the fold of the input up to and
    /// including the record it names as its source, field by field.
    /// </summary>
    /// <param name="versionAt">The reference's state of a key right after the record at a source changed it, or null.</param>
    /// <returns>How many snapshots were checked.</returns>
    public static int EverySnapshotIsTheFoldUpToItsSource<TState>(string what, IReadOnlyList<Snapshot<TState>> published,
        Func<string, InputPosition, TState?> versionAt, Func<TState, InputPosition> sourceOf, Func<TState, Avro.Generic.GenericRecord> toRecord)
        where TState : class
    {
        var problems = new List<string>();
        foreach (var snapshot in published)
        {
            var source = sourceOf(snapshot.State);
            var where = $"{what} snapshot {snapshot.Key} at [{snapshot.Partition}]@{snapshot.Offset} (source {source})";
            if (versionAt(snapshot.Key, source) is not { } expected)
            {
                problems.Add($"{where}: the reference never changed {snapshot.Key} with the record at its source");
                continue;
            }
            var (expectedJson, actualJson) = (Json(toRecord(expected)), Json(toRecord(snapshot.State)));
            if (expectedJson != actualJson) problems.Add($"{where}{Environment.NewLine}    expected {expectedJson}{Environment.NewLine}    actual   {actualJson}");
        }
        Assert.True(problems.Count == 0,
            $"{problems.Count} of {published.Count} {what} snapshots are not the fold up to their source, e.g.:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(ShownDifferences))}");
        return published.Count;
    }

    /// <inheritdoc cref="EverySnapshotIsTheFoldUpToItsSource{TState}"/>
    public static int EveryAgentSnapshotIsTheFoldUpToItsSource(ReferenceRun reference, IReadOnlyList<Snapshot<AgentState>> published) =>
        EverySnapshotIsTheFoldUpToItsSource("agent", published, reference.AgentVersion, state => state.Source, SnapshotMapper.ToRecord);

    /// <inheritdoc cref="EverySnapshotIsTheFoldUpToItsSource{TState}"/>
    public static int EveryDnSnapshotIsTheFoldUpToItsSource(ReferenceRun reference, IReadOnlyList<Snapshot<DnState>> published) =>
        EverySnapshotIsTheFoldUpToItsSource("DN", published, reference.DnVersion, state => state.Source, SnapshotMapper.ToRecord);

    public static string? Header(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    // A tombstone's value comes back null; the reference saw it as empty.
    private static bool SameBytes(byte[]? expected, byte[]? actual) =>
        (expected ?? []).AsSpan().SequenceEqual(actual ?? []) && (expected is null) == (actual is null);
}
