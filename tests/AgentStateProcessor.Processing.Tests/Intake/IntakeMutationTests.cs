using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Tests.Support;

namespace AgentStateProcessor.Processing.Tests.Intake;

/// <summary>Intake is the one place that judges input: whatever the bytes, it answers and never throws.</summary>
public sealed class IntakeMutationTests
{
    private const int MutationsPerRecord = 12_000;
    private const int FrameHeaderLength = 5;
    private const long MaxAllocationPerRead = 16 * 1024 * 1024;
    // JSON structure, number and literal starts, the Confluent magic byte, and bytes that are never valid UTF-8.
    private static readonly byte[] InterestingBytes = [.. "{}[]\":,0-.eE\\ntf"u8, 0x00, 0x80, 0xC3, 0xFF, 0x7F];

    [Fact]
    public void Random_byte_mutations_of_valid_JSON_records_never_throw_and_always_give_a_consistent_result()
    {
        var intake = Inputs.Intake();
        var originals = VoiceFeed.Generate(seed: 11, count: 40).Select(r => r.Value.ToArray()).ToList();
        var random = new Random(20261121);
        var outcomes = new Dictionary<IntakeOutcome, int>();

        for (var i = 0; i < MutationsPerRecord; i++)
        {
            var mutated = Mutate(random, originals[i % originals.Count]);
            var result = ReadWithoutThrowing(intake, mutated, key: random.Next(3) == 0 ? null : "t1:a1");
            outcomes[result.Outcome] = outcomes.GetValueOrDefault(result.Outcome) + 1;
        }

        // The mutations must reach every outcome, or they prove nothing about the paths between.
        Assert.True(outcomes.GetValueOrDefault(IntakeOutcome.Event) > 100, Describe(outcomes));
        Assert.True(outcomes.GetValueOrDefault(IntakeOutcome.DeadLetter) > 100, Describe(outcomes));
    }

    [Fact]
    public void Random_byte_mutations_of_framed_Avro_records_never_throw_and_always_give_a_consistent_result()
    {
        var intake = IntakeAvroTests.IntakeKnowing(17, IntakeAvroTests.LoginSchema);
        var original = IntakeAvroTests.FramedLogin(17);
        var random = new Random(7);
        var outcomes = new Dictionary<IntakeOutcome, int>();

        for (var i = 0; i < MutationsPerRecord; i++)
        {
            var mutated = Mutate(random, original);
            // Keep most mutations inside the body: a broken frame header only tests the JSON path again.
            if (random.Next(4) != 0) mutated = [.. original.AsSpan(0, FrameHeaderLength), .. mutated.AsSpan(Math.Min(mutated.Length, FrameHeaderLength))];
            var result = ReadWithoutThrowing(intake, mutated, key: random.Next(3) == 0 ? null : "t1:a1");
            outcomes[result.Outcome] = outcomes.GetValueOrDefault(result.Outcome) + 1;
        }

        Assert.True(outcomes.GetValueOrDefault(IntakeOutcome.Event) > 100, Describe(outcomes));
        Assert.True(outcomes.GetValueOrDefault(IntakeOutcome.DeadLetter) > 100, Describe(outcomes));
    }

    private static IntakeResult ReadWithoutThrowing(EventIntake intake, byte[] value, string? key)
    {
        IntakeResult result;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            result = intake.Read(Inputs.Bytes(value, key));
        }
        catch (Exception e)
        {
            Assert.Fail($"Read threw on {Convert.ToHexString(value)}:\n{e}");
            throw;
        }
        // A length prefix read from the wrong bytes must not become an allocation of its size.
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.True(allocated < MaxAllocationPerRead, $"reading {Convert.ToHexString(value)} allocated {allocated} bytes");

        if (result.Outcome == IntakeOutcome.Event)
        {
            Assert.NotNull(result.Event);
            Assert.Null(result.Code);
        }
        else
        {
            Assert.Null(result.Event);
            Assert.False(string.IsNullOrEmpty(result.Code), $"no code for {result.Outcome}");
            Assert.False(string.IsNullOrEmpty(result.Reason), $"no reason for {result.Code}");
        }
        return result;
    }

    private static byte[] Mutate(Random random, byte[] original)
    {
        var bytes = new List<byte>(original);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1 when bytes.Count > 0: bytes[at] = InterestingBytes[random.Next(InterestingBytes.Length)]; break;
                case 2 when bytes.Count > 0: bytes.RemoveRange(at, Math.Min(random.Next(1, 8), bytes.Count - at)); break;
                case 3: bytes.Insert(at, InterestingBytes[random.Next(InterestingBytes.Length)]); break;
                default:
                    if (bytes.Count > 0) bytes.RemoveRange(at, bytes.Count - at); // truncation
                    break;
            }
        }
        return [.. bytes];
    }

    private static string Describe(Dictionary<IntakeOutcome, int> outcomes) =>
        string.Join(", ", outcomes.Select(o => $"{o.Key}: {o.Value}"));
}
