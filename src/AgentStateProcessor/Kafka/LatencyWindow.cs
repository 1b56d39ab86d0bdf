namespace AgentStateProcessor.Kafka;

/// <summary>p50, p99 and max of a window of samples, in milliseconds.</summary>
internal readonly record struct LatencySummary(int Samples, long P50Ms, long P99Ms, long MaxMs)
{
    public override string ToString() => Samples == 0 ? "-" : $"{P50Ms}/{P99Ms}/{MaxMs} ms";
}

/// <summary>
/// The most recent samples of a latency, in a fixed ring: recording is an array write, and the
/// percentiles are computed (by sorting a copy) only when someone reads them.
/// </summary>
internal sealed class LatencyWindow(int capacity = 4096)
{
    private readonly long[] _samples = new long[capacity];
    private long _recorded;

    public void Add(long millis)
    {
        lock (_samples) _samples[_recorded++ % _samples.Length] = millis;
    }

    public void AddRange(IReadOnlyList<long> millis)
    {
        lock (_samples)
        {
            foreach (var value in millis) _samples[_recorded++ % _samples.Length] = value;
        }
    }

    public LatencySummary Summary()
    {
        long[] window;
        lock (_samples) window = _samples[..(int)Math.Min(_recorded, _samples.Length)];
        if (window.Length == 0) return default;
        Array.Sort(window);
        return new LatencySummary(window.Length, Percentile(window, 0.50), Percentile(window, 0.99), window[^1]);
    }

    /// <summary>Nearest rank: the smallest sample at or above the fraction of the window.</summary>
    private static long Percentile(long[] sorted, double fraction) =>
        sorted[Math.Max(0, (int)Math.Ceiling(fraction * sorted.Length) - 1)];
}
