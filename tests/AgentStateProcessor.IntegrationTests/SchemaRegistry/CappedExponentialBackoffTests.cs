using AgentStateProcessor.SchemaRegistry;

namespace AgentStateProcessor.IntegrationTests.SchemaRegistry;

/// <summary>The waits between attempts to reach an unavailable registry, as a sequence: no clock involved.</summary>
public sealed class CappedExponentialBackoffTests
{
    [Fact]
    public void The_wait_starts_at_the_first_wait_doubles_after_each_failure_and_stays_at_the_cap()
    {
        var backoff = new CappedExponentialBackoff(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

        var waits = Enumerable.Range(0, 12).Select(_ => backoff.Next().TotalSeconds).ToList();

        Assert.Equal([0.5, 1, 2, 4, 8, 16, 30, 30, 30, 30, 30, 30], waits);
        Assert.Equal(12, backoff.Failures);
    }

    [Fact]
    public void A_success_starts_the_sequence_over()
    {
        var backoff = new CappedExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        for (var i = 0; i < 4; i++) backoff.Next();

        backoff.Reset();

        Assert.Equal(0, backoff.Failures);
        Assert.Equal([1.0, 2, 4, 5], Enumerable.Range(0, 4).Select(_ => backoff.Next().TotalSeconds));
    }

    [Fact]
    public void A_cap_equal_to_the_first_wait_keeps_the_wait_constant_and_the_largest_allowed_cap_is_reached_without_overflow()
    {
        var constant = new CappedExponentialBackoff(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3));
        Assert.All(Enumerable.Range(0, 5).Select(_ => constant.Next()), wait => Assert.Equal(TimeSpan.FromSeconds(3), wait));

        var longest = new CappedExponentialBackoff(TimeSpan.FromTicks(1), SchemaRegistryOptions.OutageRetryBackoffLimit);
        var waits = Enumerable.Range(0, 100).Select(_ => longest.Next()).ToList();
        Assert.Equal(SchemaRegistryOptions.OutageRetryBackoffLimit, waits[^1]);
        Assert.All(waits.Zip(waits.Skip(1)), pair => Assert.True(pair.Second >= pair.First, $"{pair.Second} follows {pair.First}"));
    }

    [Fact]
    public void A_first_wait_of_zero_or_a_cap_below_it_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CappedExponentialBackoff(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CappedExponentialBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
    }
}
