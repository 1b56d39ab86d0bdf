using System.Globalization;

namespace AgentStateProcessor.Schemas.Validation;

/// <summary>The accepted spellings of an event time, normalized to microseconds since the Unix epoch.</summary>
internal static class TimeValues
{
    // The range DateTimeOffset can represent, so that every accepted spelling covers the same instants.
    private const long MinSeconds = -62_135_596_800;
    private const long MaxSeconds = 253_402_300_799;

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd' 'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>Epoch seconds, integer or fractional; sub-microsecond digits are truncated toward the past.</summary>
    public static bool TryFromEpochSeconds(decimal seconds, out long micros)
    {
        if (seconds < MinSeconds || seconds >= MaxSeconds + 1)
        {
            micros = 0;
            return false;
        }
        micros = (long)decimal.Floor(seconds * 1_000_000m);
        return true;
    }

    /// <summary>T-Library TTimeStamp: whole seconds and microseconds (0 to 999,999).</summary>
    public static bool TryFromSecondsAndMicros(long seconds, long microseconds, out long micros)
    {
        if (seconds is < MinSeconds or > MaxSeconds || microseconds is < 0 or > 999_999)
        {
            micros = 0;
            return false;
        }
        micros = seconds * 1_000_000 + microseconds;
        return true;
    }

    /// <summary>ISO-8601 date and time, with <c>T</c> or a space, optional fraction and zone; no zone means UTC.</summary>
    public static bool TryFromIso8601(string text, out long micros)
    {
        if (!DateTimeOffset.TryParseExact(text, IsoFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant))
        {
            micros = 0;
            return false;
        }
        var ticks = instant.UtcTicks - DateTime.UnixEpoch.Ticks;
        micros = Math.DivRem(ticks, TimeSpan.TicksPerMicrosecond, out var remainder) - (remainder < 0 ? 1 : 0);
        return true;
    }
}
