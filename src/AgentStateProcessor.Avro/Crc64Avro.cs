namespace AgentStateProcessor.Avro;

/// <summary>The 64-bit Rabin fingerprint the Avro specification calls CRC-64-AVRO.</summary>
public static class Crc64Avro
{
    /// <summary>The fingerprint of no bytes, and the polynomial the table is built from.</summary>
    public const ulong Empty = 0xc15d213aa4d7a795UL;

    private static readonly ulong[] Table = BuildTable();

    public static ulong Compute(ReadOnlySpan<byte> data)
    {
        var fingerprint = Empty;
        foreach (var value in data)
        {
            fingerprint = (fingerprint >> 8) ^ Table[(int)(fingerprint ^ value) & 0xff];
        }
        return fingerprint;
    }

    private static ulong[] BuildTable()
    {
        var table = new ulong[256];
        for (var i = 0; i < table.Length; i++)
        {
            var entry = (ulong)i;
            for (var bit = 0; bit < 8; bit++)
            {
                entry = (entry >> 1) ^ (Empty & (0UL - (entry & 1UL)));
            }
            table[i] = entry;
        }
        return table;
    }
}
