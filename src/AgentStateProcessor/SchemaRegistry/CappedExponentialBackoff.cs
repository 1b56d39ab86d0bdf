namespace AgentStateProcessor.SchemaRegistry;

/// <summary>
/// The waits between attempts at something that keeps failing: <c>initial</c> first, doubled after
/// each further failure, never more than <c>max</c>. No clock and no jitter, so its sequence is plain
/// to test; the registry client's own retries, inside each attempt, carry the jitter.
/// </summary>
internal sealed class CappedExponentialBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private TimeSpan? _last;

    public CappedExponentialBackoff(TimeSpan initial, TimeSpan max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        _initial = initial;
        _max = max;
    }

    /// <summary>Failed attempts since the last <see cref="Reset"/>.</summary>
    public int Failures { get; private set; }

    /// <summary>An attempt failed: how long to wait before the next one.</summary>
    public TimeSpan Next()
    {
        // Doubling only while under half the cap keeps the arithmetic far from TimeSpan's range.
        var next = _last is not { } last ? _initial : last >= _max / 2 ? _max : last * 2;
        _last = next;
        Failures++;
        return next;
    }

    /// <summary>An attempt succeeded: the next failure waits <c>initial</c> again.</summary>
    public void Reset()
    {
        _last = null;
        Failures = 0;
    }
}
