using System.Diagnostics;
using System.Globalization;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.IntegrationTests.Pipeline;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.Simulation;
using Confluent.Kafka;

namespace AgentStateProcessor.IntegrationTests.Faults;

/// <summary>
/// Input that keeps arriving: the seeded simulation (valid events with its share of malformed and
/// unknown ones) produced in small batches at a steady pace by a background producer, until stopped.
/// </summary>
internal sealed class ArrivingInput : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<List<ProducedRecord>> _feeding;
    private int _produced;

    private ArrivingInput(string bootstrapServers, string topic, int seed, int batch, TimeSpan interval) =>
        _feeding = Task.Factory.StartNew(() => Feed(bootstrapServers, topic, seed, batch, interval), TaskCreationOptions.LongRunning);

    public static ArrivingInput Start(string bootstrapServers, string topic, int seed, int batch, TimeSpan interval) =>
        new(bootstrapServers, topic, seed, batch, interval);

    public int Produced => Volatile.Read(ref _produced);

    /// <summary>Stops producing and returns every record produced, at the positions the broker gave them.</summary>
    public async Task<IReadOnlyList<ProducedRecord>> StopAsync()
    {
        await _stop.CancelAsync();
        return await _feeding;
    }

    private List<ProducedRecord> Feed(string bootstrapServers, string topic, int seed, int batch, TimeSpan interval)
    {
        using var producer = KafkaTestClient.CreateProducer(KafkaTestClient.ProducerConfig(bootstrapServers));
        using var simulation = new ContactCenterSimulator(ProducedInput.SimulatorOptions(seed)).Generate().GetEnumerator();
        var produced = new List<ProducedRecord>();
        while (!_stop.IsCancellationRequested)
        {
            var records = new List<SimulatedRecord>(batch);
            while (records.Count < batch && simulation.MoveNext()) records.Add(simulation.Current);
            produced.AddRange(ProducedInput.Produce(producer, topic, records));
            Volatile.Write(ref _produced, produced.Count);
            _stop.Token.WaitHandle.WaitOne(interval);
        }
        return produced;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_feeding.IsCompleted) await StopAsync();
        _stop.Dispose();
    }
}

/// <summary>What a processor killed with SIGKILL left behind, measured once its last bytes had reached the brokers.</summary>
/// <param name="OutputEnds">The end (high watermark) of every partition of each tracked output topic: what it wrote lies below.</param>
/// <param name="ProgressAfter">The progress its successor resumes from, per consumed partition (<c>topic:partition</c>).</param>
internal sealed record KilledRun(int Number, TimeSpan Lived, bool WasProcessing, IReadOnlyDictionary<TopicPartition, long> OutputEnds, IReadOnlyDictionary<string, long> ProgressAfter)
{
    /// <summary>E.g. "run 3: killed after 4.21 s (processing); successor resumes at in:0@812 in:1@790 dn:0@301".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"run {Number}: killed after {Lived.TotalSeconds:F2} s ({(WasProcessing ? "processing" : "starting")}); successor resumes at ") +
        string.Join(" ", ProgressAfter.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key.Split('-')[0]}:{p.Key.Split(':')[^1]}@{p.Value}"));
}

/// <summary>
/// The runs of one processor deployment killed one after another, and which of their output each
/// wrote: one instance runs at a time, so the ends of the output topics measured after each kill
/// split every output topic into runs. A killed run's transaction left open is aborted (by its
/// successor's producer, which has its transactional id), yet a broker that delivers aborted records
/// (the mock) shows it. Its records can be told apart: they come from input at or after the position
/// its successor resumed from, work done but never committed. Another output topic is accounted
/// for by naming it in <c>trackedOutputs</c>.
/// </summary>
internal sealed class HardKillLedger(string bootstrapServers, PipelineTopics topics, IReadOnlyList<string> trackedOutputs)
{
    private static readonly TimeSpan SettleInterval = TimeSpan.FromMilliseconds(250);
    private const int QuietSamples = 4;
    /// <summary>What the processor logs once its partitions are restored and it processes.</summary>
    public const string AssignedLine = "Assigned ";
    private readonly List<KilledRun> _runs = [];

    public IReadOnlyList<KilledRun> Runs => _runs;

    /// <summary>Kills <paramref name="process"/> with SIGKILL and records what it left once the brokers hold all of it.</summary>
    public KilledRun Kill(ProcessorProcess process, TimeSpan lived)
    {
        process.Kill();
        var wasProcessing = process.Output.Contains(AssignedLine, StringComparison.Ordinal);
        // A dead process's socket buffers still drain into the brokers: wait until the ends stop moving for
        // QuietSamples samples in a row, since the mock's one I/O thread may be starved for a while on a busy machine.
        var ends = OutputEnds();
        for (var quiet = 0; quiet < QuietSamples;)
        {
            Thread.Sleep(SettleInterval);
            var again = OutputEnds();
            quiet = again.Count == ends.Count && again.All(end => ends[end.Key] == end.Value) ? quiet + 1 : 0;
            ends = again;
        }
        var run = new KilledRun(_runs.Count + 1, lived, wasProcessing, ends, SnapshotTopics.ReadProgress(bootstrapServers, topics.Progress));
        _runs.Add(run);
        return run;
    }

    private Dictionary<TopicPartition, long> OutputEnds() =>
        trackedOutputs.Append(topics.Progress)
            .SelectMany(topic => KafkaTestClient.EndOffsets(bootstrapServers, topic))
            .ToDictionary(end => end.Key, end => end.Value);

    /// <summary>The number (1-based) of the run that wrote the record at <paramref name="written"/> of a tracked topic; one past the last kill for the surviving run.</summary>
    public int RunThatWrote(TopicPartitionOffset written)
    {
        var run = _runs.FindIndex(r => written.Offset.Value < r.OutputEnds[written.TopicPartition]);
        return run < 0 ? _runs.Count + 1 : run + 1;
    }

    /// <summary>
    /// Whether the record at <paramref name="written"/>, made from the input record at <paramref name="source"/>,
    /// is work of a killed run that it never committed: the input position is at or after where its successor resumed.
    /// </summary>
    public bool FromUncommittedWork(TopicPartitionOffset written, TopicPartitionOffset source)
    {
        var run = RunThatWrote(written);
        if (run > _runs.Count) return false;
        var resumedAt = _runs[run - 1].ProgressAfter.GetValueOrDefault(StreamTask.ProgressKeyOf(source.TopicPartition));
        return source.Offset.Value >= resumedAt;
    }

    /// <summary>An input position as the ledger takes it.</summary>
    public static TopicPartitionOffset PositionOf(InputPosition position) => new(position.Topic, position.Partition, position.Offset);

    /// <summary>
    /// Splits records read from a tracked output topic into committed work and the copies killed runs
    /// wrote for input they never committed (listed by run, 1-based).
    /// </summary>
    /// <param name="sourceOf">The input position a record was made from (a dead letter's headers, a snapshot's source).</param>
    public (List<T> Committed, List<(int Run, T Record)> Uncommitted) SplitByCommit<T>(
        IEnumerable<T> records, Func<T, TopicPartitionOffset> writtenAt, Func<T, TopicPartitionOffset> sourceOf)
    {
        var committed = new List<T>();
        var uncommitted = new List<(int, T)>();
        foreach (var record in records)
        {
            if (FromUncommittedWork(writtenAt(record), sourceOf(record))) uncommitted.Add((RunThatWrote(writtenAt(record)), record));
            else committed.Add(record);
        }
        return (committed, uncommitted);
    }

    /// <summary>
    /// Waits until the running processor's stored progress covers the whole input and every
    /// repartition record written for it, so a graceful stop then leaves nothing unprocessed.
    /// </summary>
    public async Task WaitUntilCaughtUpAsync(ProcessorProcess process, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var inputEnds = KafkaTestClient.EndOffsets(bootstrapServers, topics.Input);
        await WaitForProgressAsync(process, inputEnds, "the whole input", timeout - clock.Elapsed);
        // The commit that covered the input end carried the last repartition records with it.
        var repartitioned = KafkaTestClient.ConsumeAllToEnd(bootstrapServers, topics.DnRepartition)
            .GroupBy(record => record.TopicPartition)
            .ToDictionary(partition => partition.Key, partition => partition.Max(record => record.Offset.Value) + 1);
        await WaitForProgressAsync(process, repartitioned, "every repartition record", timeout - clock.Elapsed);
    }

    private async Task WaitForProgressAsync(ProcessorProcess process, IReadOnlyDictionary<TopicPartition, long> ends, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var progress = SnapshotTopics.ReadProgress(bootstrapServers, topics.Progress);
            var behind = ends.Where(end => progress.GetValueOrDefault(StreamTask.ProgressKeyOf(end.Key)) < end.Value).ToList();
            if (behind.Count == 0) return;
            if (process.HasExited || clock.Elapsed > timeout)
            {
                Assert.Fail($"The stored progress did not reach {what} within {timeout} (exited: {process.HasExited}): " +
                    string.Join(", ", behind.Select(end => $"{end.Key} at {progress.GetValueOrDefault(StreamTask.ProgressKeyOf(end.Key))} of {end.Value}")) +
                    $". {process.Describe()}");
            }
            await Task.Delay(SettleInterval);
        }
    }
}

/// <summary>The records killed runs wrote for input they never committed, counted per run (1-based).</summary>
internal sealed record ExtraCopies(IReadOnlyDictionary<int, int> ByRun)
{
    public static ExtraCopies Of<T>(IEnumerable<(int Run, T Record)> uncommitted) =>
        new(uncommitted.GroupBy(copy => copy.Run).ToDictionary(run => run.Key, run => run.Count()));

    public int Count => ByRun.Values.Sum();

    /// <summary>E.g. "7 extra copies from killed runs' uncommitted work (run 2: 5, run 4: 2)".</summary>
    public override string ToString() =>
        $"{Count} extra copies from killed runs' uncommitted work" +
        (Count == 0 ? "" : $" ({string.Join(", ", ByRun.OrderBy(r => r.Key).Select(r => $"run {r.Key}: {r.Value}"))})");
}

/// <summary>How the dead letters of a run with kills add up.</summary>
internal sealed record DeadLetterAccount(int Malformed, int DeadLetters, int Committed, ExtraCopies Extra)
{
    public override string ToString() => $"{Malformed} malformed records, {DeadLetters} dead letters: {Committed} committed (one each), {Extra}";
}

/// <summary>How the change records of a run with kills add up.</summary>
/// <param name="SameBytesAsCommitted">How many of the extra copies are the committed change of their source, byte for byte.</param>
internal sealed record ChangeAccount(int Expected, int Committed, ExtraCopies Extra, int SameBytesAsCommitted)
{
    public override string ToString() =>
        $"{Expected} state changes in the fold: {Committed} committed (one each, in order per agent), {Extra}" +
        (Extra.Count == 0 ? "" : $", {SameBytesAsCommitted} of them byte-identical to the committed change");
}

internal static class HardKillAssert
{
    /// <summary>
    /// The committed change records are exactly the fold's changes (<see cref="PipelineAssert.ChangesMatch(IReadOnlyList{Domain.AgentStateChange}, IReadOnlyList{ChangeRecord}, bool)"/>:
    /// per agent, in order, field by field, none missing, none doubled), and every other copy is
    /// explained: a killed run wrote it for input at or after the position its successor resumed
    /// from, keyed and placed as the change it redoes, and it is the committed change of its source
    /// byte for byte (the redo made the same change) or else equals the fold's change there.
    /// </summary>
    public static ChangeAccount EveryChangeTheFolds(ReferenceRun reference, string changeTopic, IReadOnlyList<ChangeRecord> changes, HardKillLedger ledger)
    {
        var (committed, uncommitted) = ledger.SplitByCommit(changes, change => change.WrittenAt(changeTopic), change => HardKillLedger.PositionOf(change.Change.Source));
        PipelineAssert.ChangesMatch(reference.Changes, committed);

        var expected = reference.Changes.ToDictionary(change => change.Source);
        var committedBySource = committed.ToDictionary(change => change.Change.Source);
        var sameBytes = 0;
        var unexplained = new List<string>();
        foreach (var (run, copy) in uncommitted)
        {
            var where = $"[{copy.Partition}]@{copy.Offset} from run {run} (source {copy.Change.Source})";
            if (!expected.TryGetValue(copy.Change.Source, out var change)) unexplained.Add($"{where}: the fold made no change there");
            else if (copy.Key != change.Key || copy.Partition != change.Source.Partition) unexplained.Add($"{where}: key {copy.Key} on partition {copy.Partition} for {change.Key}");
            else if (committedBySource[change.Source].Value.AsSpan().SequenceEqual(copy.Value)) sameBytes++;
            else if (PipelineAssert.Json(copy.Change) != PipelineAssert.Json(change))
            {
                unexplained.Add($"{where}{Environment.NewLine}    expected {PipelineAssert.Json(change)}{Environment.NewLine}    actual   {PipelineAssert.Json(copy.Change)}");
            }
        }
        Assert.True(unexplained.Count == 0,
            $"{unexplained.Count} of {uncommitted.Count} extra change copies are not the change of their source, e.g.:{Environment.NewLine}{string.Join(Environment.NewLine, unexplained.Take(5))}");
        return new ChangeAccount(reference.Changes.Count, committed.Count, ExtraCopies.Of(uncommitted), sameBytes);
    }

    /// <summary>
    /// Every malformed record has exactly one dead letter from committed work (original bytes, code
    /// and reason), and every other copy is explained: a killed run wrote it for input at or after
    /// the position its successor resumed from, and it names a malformed record with the same code.
    /// </summary>
    public static DeadLetterAccount EveryMalformedRecordDeadLettered(ReferenceRun reference, IReadOnlyList<ConsumeResult<byte[]?, byte[]?>> deadLetters, HardKillLedger ledger)
    {
        var expected = reference.DeadLetters.ToDictionary(letter => letter.Record.Position);
        var (committed, uncommitted) = ledger.SplitByCommit(deadLetters, letter => letter.TopicPartitionOffset, PipelineAssert.DeadLetterSource);
        var unexplained = uncommitted
            .Select(copy => (copy.Run, copy.Record, Source: PipelineAssert.DeadLetterSource(copy.Record), Code: PipelineAssert.DeadLetterCode(copy.Record)))
            .Where(copy => !expected.TryGetValue(copy.Source, out var malformed) || malformed.Code != copy.Code)
            .Select(copy => $"{copy.Record.TopicPartitionOffset} from run {copy.Run}: source {copy.Source}, code {copy.Code}")
            .ToList();
        Assert.True(unexplained.Count == 0, $"{unexplained.Count} extra dead letters name no malformed record with their code: {string.Join("; ", unexplained.Take(5))}");
        PipelineAssert.ExactDeadLetters(reference.DeadLetters, committed);
        return new DeadLetterAccount(reference.DeadLetters.Count, deadLetters.Count, committed.Count, ExtraCopies.Of(uncommitted));
    }
}

/// <summary>
/// The hard-kill scenario, on any cluster: input keeps arriving while processors of one deployment
/// (one instance id, so one transactional id) are started one after another and killed with SIGKILL
/// at seeded random moments; then the input stops, a last processor catches up and stops gracefully.
/// </summary>
internal static class HardKillScenario
{
    /// <summary>About 400 records/s, in batches, so every run finds new input.</summary>
    private const int BatchSize = 40;
    private static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(100);
    /// <summary>
    /// A quarter of the kills come at any moment from a process's start (start-up, group join,
    /// restore, or processing if it got that far); the rest while it processes, from the moment it
    /// is ready: on the mock a restarted member waits about a session timeout to join, so kills timed
    /// from the start alone would mostly hit start-up.
    /// </summary>
    private const double KillFromStartShare = 0.25;
    private static readonly (TimeSpan From, TimeSpan To) KillFromStart = (TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(6));
    private static readonly (TimeSpan From, TimeSpan To) KillWhileProcessing = (TimeSpan.Zero, TimeSpan.FromSeconds(4));
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(120);

    /// <summary>How long the process took to be assigned and restored; null if it died first.</summary>
    private static async Task<TimeSpan?> WhenReadyAsync(ProcessorProcess process, Stopwatch clock)
    {
        while (!process.HasExited)
        {
            if (process.Output.Contains(HardKillLedger.AssignedLine, StringComparison.Ordinal)) return clock.Elapsed;
            await Task.Delay(20);
        }
        return null;
    }

    /// <summary>Runs the scenario; the ledger records every kill, the returned input every record produced.</summary>
    public static async Task<(HardKillLedger Ledger, IReadOnlyList<ProducedRecord> Input)> RunAsync(
        string bootstrapServers, PipelineTopics topics, int kills, int seed, Action<string> log, params string[] extraOutputs)
    {
        var ledger = new HardKillLedger(bootstrapServers, topics, [topics.AgentSnapshots, topics.DnSnapshots, topics.DeadLetters, topics.DnRepartition, .. extraOutputs]);
        var settings = topics.Settings(bootstrapServers, "hard-kill", instanceId: "replica-0");
        var random = new Random(seed);
        await using var input = ArrivingInput.Start(bootstrapServers, topics.Input, seed, BatchSize, BatchInterval);
        for (var kill = 1; kill <= kills; kill++)
        {
            var fromStart = random.NextDouble() < KillFromStartShare;
            var (from, to) = fromStart ? KillFromStart : KillWhileProcessing;
            var delay = from + (to - from) * random.NextDouble();
            using var process = ProcessorProcess.Start(settings);
            var clock = Stopwatch.StartNew();
            var ready = WhenReadyAsync(process, clock);
            if (!fromStart) await process.WaitUntilAsync(() => ready.IsCompleted, $"run {kill} ready", ReadyTimeout);
            await Task.Delay(delay);
            Assert.False(process.HasExited, $"run {kill} exited by itself before its kill. {process.Describe()}");
            var run = ledger.Kill(process, clock.Elapsed);
            var readyAfter = await ready;
            log(string.Create(CultureInfo.InvariantCulture,
                $"{run}; {(readyAfter is { } after ? $"ready after {after.TotalSeconds:F2} s" : "never ready")}; {input.Produced} records produced so far"));
        }

        IReadOnlyList<ProducedRecord> produced;
        using (var last = ProcessorProcess.Start(settings))
        {
            // Input goes on arriving until the last run processes, as it did for every killed one.
            await last.WaitUntilAsync(() => last.Output.Contains(HardKillLedger.AssignedLine, StringComparison.Ordinal), "the last run ready", ReadyTimeout);
            await Task.Delay(KillWhileProcessing.To);
            produced = await input.StopAsync();
            await ledger.WaitUntilCaughtUpAsync(last, CatchUpTimeout);
            last.Terminate();
            var exit = await last.WaitForExitAsync();
            Assert.True(exit.ExitCode == 0, $"the last run did not stop cleanly: {exit}");
        }
        log($"run {kills + 1}: caught up with all {produced.Count} records and stopped gracefully");
        return (ledger, produced);
    }
}
