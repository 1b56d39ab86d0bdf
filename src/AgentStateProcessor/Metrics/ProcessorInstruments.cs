using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Health;
using AgentStateProcessor.Kafka;

namespace AgentStateProcessor.Metrics;

/// <summary>
/// The processor's instruments, all on one <see cref="Meter"/> named <see cref="MeterName"/>, named
/// the way Prometheus scrapes them once prefixed with the meter's name: base units (seconds),
/// <c>_total</c> only on counters. Counts the stream thread already keeps in
/// <see cref="PipelineMetrics"/> are observed from there; the rest are recorded by
/// <see cref="Hosting.StreamThreadListener"/>. Counters are observable (cumulative values read at
/// each collection), so an exporter that forgets an idle series brings it back at its true value.
/// </summary>
internal sealed class ProcessorInstruments
{
    public const string MeterName = "AgentStateProcessor";

    // Commits take milliseconds on a healthy cluster and up to the 30 s Kafka timeout on a sick one.
    private static readonly double[] CommitBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    // Freshness includes the commit interval (1 s by default) and any backlog.
    private static readonly double[] FreshnessBuckets = [0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30, 60, 300, 900];
    private static readonly double[] RestoreBuckets = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly ConcurrentDictionary<string, long> _deadLetters = new(StringComparer.Ordinal);
    private readonly Histogram<double> _commitDuration;
    private long _transactionsCommitted, _transactionsAborted, _rebalances;
    private readonly Histogram<double> _restoreDuration;
    private readonly Histogram<double> _freshness;
    private volatile IReadOnlyList<PartitionLag> _lags = [];
    private volatile IReadOnlyList<BrokerRoundTrip> _roundTrips = [];
    private long _restoreRemaining;

    public ProcessorInstruments(IMeterFactory meters, PipelineMetrics pipeline, ProcessorHealth health)
    {
        Meter = meters.Create(MeterName);
        Meter.CreateObservableCounter("records_total", () => RecordsByOutcome(pipeline),
            description: "Records by outcome: applied, duplicate (agent and DN folds), skipped, no-state-rule, dead-letter");
        Meter.CreateObservableCounter("dead_letters_total", DeadLettersByCode,
            description: "Input records written to the dead-letter topic, by error code");
        Meter.CreateObservableCounter("records_skipped_total", () => SkippedByReason(pipeline),
            description: "Input records skipped, by reason: unknown-event, or the name of an extension event without a state rule");
        Meter.CreateObservableCounter("snapshots_written_total", () => pipeline.SnapshotsWritten,
            description: "Agent and DN snapshots written to the snapshot topics");
        _commitDuration = Meter.CreateHistogram("commit_duration_seconds", unit: "s",
            description: "Time to commit snapshots, progress and offsets (the transaction, or flush and offset commit)",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommitBuckets });
        Meter.CreateObservableCounter("transactions_total", TransactionsByOutcome,
            description: "Kafka transactions by outcome: committed or aborted (exactly-once only)");
        Meter.CreateObservableCounter("rebalances_total", () => Interlocked.Read(ref _rebalances),
            description: "Partition assignments this instance received");
        Meter.CreateObservableGauge("assigned_partitions", () => health.AssignedCount,
            description: "Input and repartition partitions assigned to this instance");
        Meter.CreateObservableGauge("restore_remaining_records", () => Interlocked.Read(ref _restoreRemaining),
            description: "Snapshot and progress records still to read in the restore under way (0 when none is)");
        _restoreDuration = Meter.CreateHistogram("restore_duration_seconds", unit: "s",
            description: "Time from a partition assignment to its state being restored",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RestoreBuckets });
        _freshness = Meter.CreateHistogram("freshness_seconds", unit: "s",
            description: "From an input record's timestamp to the commit that made its snapshot visible",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FreshnessBuckets });
        Meter.CreateObservableGauge("consumer_lag_records", ConsumerLags,
            description: "Records behind the end of each assigned partition (librdkafka consumer_lag)");
        Meter.CreateObservableGauge("broker_rtt_seconds", BrokerRoundTrips,
            description: "Average request round-trip time per broker over the last statistics interval");
        Meter.CreateObservableCounter("records_skipped_ahead_total", () => pipeline.RecordsSkippedAhead,
            description: "Offsets the consumer jumped over because retention had deleted them before they were processed");
        Meter.CreateObservableCounter("repartition_records_undecodable_total", () => pipeline.UndecodableRepartitionRecords,
            description: "Repartition records the DN side could not decode (logged and skipped)");
        Meter.CreateObservableGauge("agents", () => AgentsByState(pipeline),
            description: "Agents of this instance's partitions by state, as of the last commit");
    }

    public Meter Meter { get; }

    /// <summary>Histogram buckets by instrument name, for exporters that do not read the instruments' advice.</summary>
    public static double[] BucketsOf(string instrument) => instrument switch
    {
        "commit_duration_seconds" => CommitBuckets,
        "freshness_seconds" => FreshnessBuckets,
        "restore_duration_seconds" => RestoreBuckets,
        _ => CommitBuckets,
    };

    public void DeadLettered(string code) => _deadLetters.AddOrUpdate(code, 1, (_, count) => count + 1);

    public void Committed(TimeSpan duration, bool transaction)
    {
        _commitDuration.Record(duration.TotalSeconds);
        if (transaction) Interlocked.Increment(ref _transactionsCommitted);
    }

    public void Aborted() => Interlocked.Increment(ref _transactionsAborted);

    public void Rebalanced() => Interlocked.Increment(ref _rebalances);

    public void RestoreRemaining(long records) => Interlocked.Exchange(ref _restoreRemaining, records);

    public void Restored(TimeSpan duration)
    {
        Interlocked.Exchange(ref _restoreRemaining, 0);
        _restoreDuration.Record(duration.TotalSeconds);
    }

    public void Fresh(double seconds) => _freshness.Record(seconds);

    public void Statistics(string json)
    {
        var (lags, roundTrips) = KafkaStatistics.Select(json);
        _lags = lags;
        _roundTrips = roundTrips;
    }

    private static IEnumerable<Measurement<long>> RecordsByOutcome(PipelineMetrics pipeline) =>
    [
        Outcome(pipeline.AgentApplied + pipeline.DnApplied, "applied"),
        Outcome(pipeline.Duplicates, "duplicate"),
        Outcome(pipeline.Skipped, "skipped"),
        Outcome(pipeline.NoStateRule, "no-state-rule"),
        Outcome(pipeline.DeadLettered, "dead-letter"),
    ];

    private static IEnumerable<Measurement<long>> SkippedByReason(PipelineMetrics pipeline) =>
        pipeline.InputSteps.SkippedByCode.Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("reason", s.Key)));

    private IEnumerable<Measurement<long>> DeadLettersByCode() =>
        _deadLetters.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("code", d.Key)));

    private IEnumerable<Measurement<long>> TransactionsByOutcome() =>
    [
        Outcome(Interlocked.Read(ref _transactionsCommitted), "committed"),
        Outcome(Interlocked.Read(ref _transactionsAborted), "aborted"),
    ];

    private static Measurement<long> Outcome(long value, string outcome) => new(value, new KeyValuePair<string, object?>("outcome", outcome));

    private IEnumerable<Measurement<long>> ConsumerLags() =>
        _lags.Select(l => new Measurement<long>(l.Lag,
            new KeyValuePair<string, object?>("topic", l.Topic), new KeyValuePair<string, object?>("partition", l.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    private IEnumerable<Measurement<double>> BrokerRoundTrips() =>
        _roundTrips.Select(r => new Measurement<double>(r.AverageSeconds, new KeyValuePair<string, object?>("broker", r.Broker)));

    private static IEnumerable<Measurement<int>> AgentsByState(PipelineMetrics pipeline) =>
        Enum.GetValues<AgentStatus>().Select(s => new Measurement<int>(pipeline.AgentsByState.GetValueOrDefault(s),
            new KeyValuePair<string, object?>("state", s.ToString())));
}
