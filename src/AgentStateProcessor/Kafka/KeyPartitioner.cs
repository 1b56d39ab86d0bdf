using System.Text;

namespace AgentStateProcessor.Kafka;

/// <summary>
/// Chooses the repartition partition of a DN key the way Kafka's default partitioner does for a
/// keyed record (murmur2 of the key bytes, sign bit cleared, modulo the partition count), so the
/// choice is stable across instances, restarts and client libraries.
/// </summary>
internal static class KeyPartitioner
{
    public static int PartitionOf(string key, int partitionCount) =>
        (int)((Murmur2(Encoding.UTF8.GetBytes(key)) & 0x7fffffff) % (uint)partitionCount);

    internal static uint Murmur2(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        var h = 0x9747b28cu ^ (uint)data.Length;
        var i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            var k = (uint)(data[i] | data[i + 1] << 8 | data[i + 2] << 16 | data[i + 3] << 24);
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        switch (data.Length - i)
        {
            case 3:
                h ^= (uint)data[i + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[i + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[i];
                h *= m;
                break;
        }
        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return h;
    }
}
