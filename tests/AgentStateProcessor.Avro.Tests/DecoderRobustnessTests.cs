using AgentStateProcessor.Avro.Tests.Support;

namespace AgentStateProcessor.Avro.Tests;

/// <summary>Damaged input must fail with <see cref="AvroException"/> and nothing else: no index, overflow or memory errors.</summary>
public sealed class DecoderRobustnessTests
{
    private const int ValuesPerSchema = 4;
    private const int MutationsPerValue = 60;

    public static TheoryData<string> Schemas() => [.. SchemaCorpus.All().Where(c => c.WithDatums).Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Mutated_encodings_decode_or_fail_with_AvroException(string id)
    {
        var schema = AvroSchema.Parse(SchemaCorpus.All().Single(c => c.Id == id).Json);
        var random = new Random(id.Length * 7919 + id[0]);
        var values = new RandomValues(random.Next());
        var failures = 0;

        for (var v = 0; v < ValuesPerSchema; v++)
        {
            var valid = AvroBinary.Encode(schema, values.Next(schema));
            for (var m = 0; m < MutationsPerValue; m++)
            {
                var mutated = Mutate(valid, random);
                try
                {
                    AvroBinary.Decode(schema, mutated);
                }
                catch (Exception ex) when (ex.GetType() == typeof(AvroException))
                {
                    failures++;
                }
                catch (Exception ex)
                {
                    Assert.Fail($"{ex.GetType().Name} decoding {Convert.ToHexString(mutated)} (from {Convert.ToHexString(valid)}): {ex}");
                }
            }
        }

        Assert.True(failures > 0, "no mutation was detected at all; the mutations are not reaching the decoder");
    }

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Every_truncation_and_every_extension_of_a_valid_encoding_fails_with_AvroException(string id)
    {
        var schema = AvroSchema.Parse(SchemaCorpus.All().Single(c => c.Id == id).Json);
        var values = new RandomValues(id.Length);

        for (var v = 0; v < ValuesPerSchema; v++)
        {
            var valid = AvroBinary.Encode(schema, values.Next(schema));
            for (var length = 0; length < valid.Length; length++)
            {
                // The decoder reads the same bytes in the same order as for the whole encoding, so it must run out.
                var exception = Record.Exception(() => AvroBinary.Decode(schema, valid.AsSpan(0, length)));
                Assert.True(exception?.GetType() == typeof(AvroException),
                    $"prefix of {length} of {Convert.ToHexString(valid)}: {exception?.ToString() ?? "decoded"}");
            }
            Assert.Throws<AvroException>(() => AvroBinary.Decode(schema, [.. valid, 0x00]));
        }
    }

    [Fact]
    public void Random_bytes_never_escape_as_other_exceptions()
    {
        var random = new Random(42);
        var schemas = SchemaCorpus.All().Where(c => c.WithDatums).Select(c => AvroSchema.Parse(c.Json)).ToList();
        var decoded = 0;

        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            var schema = schemas[i % schemas.Count];
            var exception = Record.Exception(() => AvroBinary.Decode(schema, bytes));
            Assert.True(exception is null || exception.GetType() == typeof(AvroException),
                $"{exception?.GetType().Name} for {Convert.ToHexString(bytes)}: {exception}");
            decoded += exception is null ? 1 : 0;
        }

        Assert.InRange(decoded, 1, 4999); // some random inputs are valid encodings (of "bytes", say), most are not
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = new List<byte>(valid);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var position = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[position] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.Insert(position, (byte)random.Next(256));
                    break;
                case 3 when bytes.Count > 0:
                    bytes.RemoveAt(position);
                    break;
                case 4:
                    bytes.RemoveRange(position, bytes.Count - position);
                    break;
                default:
                    // A long varint of 0xff bytes: a huge length or count where a small one was.
                    bytes.InsertRange(position, [0xff, 0xff, 0xff, 0xff, 0x0f]);
                    break;
            }
        }
        return [.. bytes];
    }
}
