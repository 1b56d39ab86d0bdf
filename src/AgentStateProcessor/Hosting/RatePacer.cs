namespace AgentStateProcessor.Hosting;

/// <summary>
/// Holds a producer to a steady rate: item n is due n / rate seconds after the start, and
/// <see cref="Next"/> says how long to wait until the next item is due.
/// </summary>
internal sealed class RatePacer
{
    private readonly TimeProvider time;
    private readonly long start;
    private readonly double itemsPerSecond;
    private long items;

    public RatePacer(double itemsPerSecond, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(itemsPerSecond);
        this.itemsPerSecond = itemsPerSecond;
        this.time = time;
        start = time.GetTimestamp();
    }

    /// <summary>Counts one item done; returns the wait before the next, zero when behind schedule, never negative.</summary>
    /// <remarks>
    /// The clock is read once: a second read after the comparison can be later than the due time,
    /// and a negative wait means "forever" (-1 ms) or an exception to the wait handle.
    /// </remarks>
    public TimeSpan Next()
    {
        items++;
        var remaining = TimeSpan.FromSeconds(items / itemsPerSecond) - time.GetElapsedTime(start);
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }
}
