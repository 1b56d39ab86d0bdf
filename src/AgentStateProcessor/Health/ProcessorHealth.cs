using Confluent.Kafka;

namespace AgentStateProcessor.Health;

/// <summary>
/// What the probes judge, written by the stream thread and read by the health checks. Liveness:
/// the processing loop keeps turning and no fatal error happened. Readiness: the producer is
/// initialised, partitions are assigned and restored, and no work waits for the schema registry.
/// </summary>
internal sealed class ProcessorHealth(TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly HashSet<TopicPartition> _assigned = [];
    // Start-up (provisioning, schema registration) counts as a turn, so it gets the stall timeout too.
    private long _lastTurn = time.GetTimestamp();
    private volatile string? _fatal;
    private volatile bool _producerInitialised;
    private volatile bool _restoring;
    private volatile string? _registryUnavailable;

    public TimeSpan SinceLastTurn => time.GetElapsedTime(Interlocked.Read(ref _lastTurn));

    public string? FatalReason => _fatal;

    public void Turned() => Interlocked.Exchange(ref _lastTurn, time.GetTimestamp());

    public void Fatal(string reason) => _fatal ??= reason;

    public void ProducerInitialised() => _producerInitialised = true;

    public void Restoring() => _restoring = true;

    /// <summary>Work is paused until the schema registry answers again; <paramref name="reason"/> says what failed.</summary>
    public void RegistryUnavailable(string reason) => _registryUnavailable = reason;

    public void RegistryAvailable() => _registryUnavailable = null;

    public void Assigned(IEnumerable<TopicPartition> partitions)
    {
        lock (_gate) _assigned.UnionWith(partitions);
        _restoring = false;
    }

    public void Revoked(IEnumerable<TopicPartition> partitions)
    {
        lock (_gate) _assigned.ExceptWith(partitions);
    }

    public int AssignedCount
    {
        get
        {
            lock (_gate) return _assigned.Count;
        }
    }

    /// <summary>Why this instance should not get traffic now; null when it is ready.</summary>
    public string? NotReadyReason()
    {
        if (_fatal is { } fatal) return $"stopped: {fatal}";
        if (_registryUnavailable is { } registry) return $"paused until the schema registry answers: {registry}";
        if (!_producerInitialised) return "the producer is not initialised yet";
        if (_restoring) return "restoring state of newly assigned partitions";
        return AssignedCount == 0 ? "no partitions assigned" : null;
    }
}
