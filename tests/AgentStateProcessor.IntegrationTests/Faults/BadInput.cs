using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AgentStateProcessor.IntegrationTests.Pipeline;
using Confluent.Kafka;

namespace AgentStateProcessor.IntegrationTests.Faults;

/// <summary>How a bad record was made from a good one.</summary>
internal enum Mutation
{
    None,
    ByteLevel,
    FieldLevel,
    Oversized,
    Tombstone,
    WrongKey,
    UnknownSchemaId,
    DeeplyNested,
    NumberOutOfRange,
    InvalidUtf8,
}

/// <summary>An input record to produce, with the mutation it went through.</summary>
internal sealed record MixedRecord(string? Key, byte[]? Value, DateTimeOffset Timestamp, Mutation Mutation)
{
    public Message<byte[]?, byte[]?> ToMessage() => new()
    {
        Key = Key is null ? null : Encoding.UTF8.GetBytes(Key),
        Value = Value,
        Timestamp = new Timestamp(Timestamp),
    };
}

/// <summary>
/// Valid traffic of the seeded simulation with mutated copies of its records mixed in, every kind of
/// damage an input topic can carry. Deterministic for a seed.
/// </summary>
internal static class BadInput
{
    private static readonly Mutation[] Mutations = Enum.GetValues<Mutation>().Where(m => m != Mutation.None).ToArray();

    private static readonly string[] OutOfRangeNumbers =
        ["1e400", "-1e400", "99999999999999999999999999999", "-9223372036854775809", "18446744073709551616", "1.5", "-0", "1E+308", "4294967296", "-1"];

    private static readonly byte[][] InvalidUtf8Sequences =
        [[0xFF], [0xC3, 0x28], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0x80], [0xF4, 0x90, 0x80, 0x80]];

    /// <param name="validRecords">How many records of the simulation (a few percent of them invalid or unknown already).</param>
    /// <param name="badRecords">How many mutated records are mixed in among them.</param>
    /// <param name="maxMessageBytes">The intake's limit: oversized values go past it.</param>
    public static IReadOnlyList<MixedRecord> Mix(int seed, int validRecords, int badRecords, int maxMessageBytes)
    {
        var random = new Random(seed);
        var simulated = ProducedInput.Simulate(seed, validRecords);
        var mixed = new List<MixedRecord>(validRecords + badRecords);
        var next = 0;
        var bad = 0;
        while (next < simulated.Count || bad < badRecords)
        {
            var takeValid = next < simulated.Count && (bad >= badRecords || next == 0 || random.Next(validRecords + badRecords) < validRecords);
            if (takeValid)
            {
                var record = simulated[next++];
                mixed.Add(new MixedRecord(record.Key, record.Value, record.Timestamp, Mutation.None));
                continue;
            }
            var source = simulated[random.Next(next)];
            var mutation = Mutations[bad % Mutations.Length];
            mixed.Add(Mutate(random, mutation, source.Key, source.Value, source.Timestamp, maxMessageBytes, simulated));
            bad++;
        }
        return mixed;
    }

    private static MixedRecord Mutate(Random random, Mutation mutation, string? key, byte[] value, DateTimeOffset timestamp, int maxMessageBytes,
        IReadOnlyList<Simulation.SimulatedRecord> simulated) => mutation switch
    {
        Mutation.ByteLevel => new(key, MutateBytes(random, value), timestamp, mutation),
        Mutation.FieldLevel => new(key, MutateField(random, value), timestamp, mutation),
        Mutation.Oversized => new(key, Oversize(random, value, maxMessageBytes), timestamp, mutation),
        Mutation.Tombstone => new(key, null, timestamp, mutation),
        Mutation.WrongKey => new(WrongKey(random, key, simulated), value, timestamp, mutation),
        Mutation.UnknownSchemaId => new(key, FramedAvro(random), timestamp, mutation),
        Mutation.DeeplyNested => new(key, DeeplyNested(random), timestamp, mutation),
        Mutation.NumberOutOfRange => new(key, NumberOutOfRange(random, value), timestamp, mutation),
        Mutation.InvalidUtf8 => new(key, InvalidUtf8(random, value), timestamp, mutation),
        _ => throw new ArgumentOutOfRangeException(nameof(mutation), mutation, null),
    };

    private static byte[] MutateBytes(Random random, byte[] value)
    {
        var bytes = value.ToList();
        switch (random.Next(5))
        {
            case 0:
                for (var i = random.Next(1, 4); i > 0 && bytes.Count > 0; i--) bytes[random.Next(bytes.Count)] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                var cut = random.Next(bytes.Count);
                bytes.RemoveRange(cut, bytes.Count - cut);
                break;
            case 2:
                var inserted = new byte[random.Next(1, 8)];
                random.NextBytes(inserted);
                bytes.InsertRange(random.Next(bytes.Count + 1), inserted);
                break;
            case 3:
                if (bytes.Count > 1) bytes.RemoveAt(random.Next(bytes.Count));
                break;
            default:
                int a = random.Next(bytes.Count), b = random.Next(bytes.Count);
                (bytes[a], bytes[b]) = (bytes[b], bytes[a]);
                break;
        }
        return bytes.Count == 0 ? [(byte)'{'] : [.. bytes];
    }

    private static byte[] MutateField(Random random, byte[] value)
    {
        if (ParseObject(value) is not { } json) return MutateBytes(random, value);
        var names = json.Select(property => property.Key).ToList();
        var name = names[random.Next(names.Count)];
        switch (random.Next(9))
        {
            case 0: json.Remove(name); break;
            case 1: json[name] = null; break;
            case 2: json[name] = json[name] is JsonValue v && v.TryGetValue<string>(out _) ? 42 : "forty-two"; break;
            case 3: json[name] = ""; break;
            case 4: json[name] = new JsonObject(); break;
            case 5: json[name] = new JsonArray(1, "two"); break;
            case 6: json["id"] = "EventNobodyDescribed"; break;
            case 7: json["id"] = random.Next(2) == 0 ? "EventAgentLogin" : "EventDNOutOfService"; break;
            default: json[name] = new string('z', random.Next(100, 400)); break;
        }
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private static byte[] Oversize(Random random, byte[] value, int maxMessageBytes)
    {
        var text = Encoding.UTF8.GetString(value);
        var padding = new string(' ', Math.Max(0, maxMessageBytes + 1 + random.Next(100) - value.Length));
        // Whitespace inside the object: the value stays well-formed JSON, so only its size condemns it.
        return Encoding.UTF8.GetBytes(text.Insert(text.IndexOf('{', StringComparison.Ordinal) + 1, padding));
    }

    private static string? WrongKey(Random random, string? key, IReadOnlyList<Simulation.SimulatedRecord> simulated) => random.Next(8) switch
    {
        0 => null,
        1 => "",
        2 => "no-colon-in-this-key",
        3 => ":",
        4 => (key ?? "acme:agent").Split(':')[0] + ":",
        5 => ":" + (key ?? "acme:agent").Split(':')[^1],
        6 => simulated[random.Next(simulated.Count)].Key,
        _ => "ténant-ü:" + new string('k', random.Next(1, 500)),
    };

    private static byte[] FramedAvro(Random random)
    {
        var value = new byte[5 + random.Next(40)];
        random.NextBytes(value);
        value[0] = 0;
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(1), random.Next(int.MinValue, int.MaxValue));
        return value;
    }

    private static byte[] DeeplyNested(Random random)
    {
        // Deeper than System.Text.Json's default limit of 64, and still within the intake's size limit.
        var depth = random.Next(65, 90);
        var (open, close) = random.Next(2) == 0 ? ("[", "]") : ("{\"a\":", "}");
        var nested = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        return Encoding.UTF8.GetBytes($$"""{"id":"EventAgentLogin","ThisDN":"1001","Extensions":{{nested}}}""");
    }

    private static byte[] NumberOutOfRange(Random random, byte[] value)
    {
        if (ParseObject(value) is not { } json) return MutateBytes(random, value);
        var numeric = json.Where(p => p.Value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number).Select(p => p.Key).ToList();
        var names = numeric.Count > 0 ? numeric : json.Select(p => p.Key).ToList();
        // JsonNode cannot hold a number outside double's range, so the text goes in where a placeholder string stands.
        const string placeholder = "number-out-of-range";
        json[names[random.Next(names.Count)]] = placeholder;
        var number = OutOfRangeNumbers[random.Next(OutOfRangeNumbers.Length)];
        return Encoding.UTF8.GetBytes(json.ToJsonString().Replace($"\"{placeholder}\"", number, StringComparison.Ordinal));
    }

    /// <summary>The value as a non-empty JSON object, or null when it is none (the simulation's own invalid records).</summary>
    private static JsonObject? ParseObject(byte[] value)
    {
        try
        {
            return JsonNode.Parse(value) is JsonObject { Count: > 0 } json ? json : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException)
        {
            return null;
        }
    }

    private static byte[] InvalidUtf8(Random random, byte[] value)
    {
        var sequence = InvalidUtf8Sequences[random.Next(InvalidUtf8Sequences.Length)];
        // Inside a string value where there is one (after an opening quote), so only the encoding is wrong.
        var quotes = value.Select((b, i) => (b, i)).Where(p => p.b == (byte)'"').Select(p => p.i + 1).ToList();
        var at = quotes.Count > 0 ? quotes[random.Next(quotes.Count)] : random.Next(value.Length + 1);
        return [.. value.AsSpan(0, at), .. sequence, .. value.AsSpan(at)];
    }

    /// <summary>The numbers a README can quote: records per mutation and per outcome.</summary>
    public static string Describe(IEnumerable<(Mutation Mutation, string Outcome)> outcomes) =>
        string.Join(Environment.NewLine, outcomes
            .GroupBy(o => o.Mutation)
            .OrderBy(g => g.Key)
            .Select(g => $"{g.Key}: {g.Count()} = " + string.Join(", ", g.GroupBy(o => o.Outcome).OrderBy(o => o.Key, StringComparer.Ordinal)
                .Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key} {o.Count()}")))));
}
