using AgentStateProcessor.Hosting;

namespace AgentStateProcessor.IntegrationTests;

public sealed class RatePacerTests
{
    [Fact]
    public void A_clock_that_moves_between_reads_never_yields_a_negative_or_infinite_wait()
    {
        // 1,000 items/s: item n is due at n ms. Each read of the clock moves it on by 1 ms, as a
        // descheduled thread would see it; a pacer that reads twice would compute 1 ms - 1.5 ms.
        var clock = new SteppingClock(startAt: TimeSpan.Zero, stepPerRead: TimeSpan.FromMilliseconds(1));
        var pacer = new RatePacer(1_000, clock);
        clock.Set(TimeSpan.FromMilliseconds(0.5));
        var readsBefore = clock.Reads;

        var wait = pacer.Next();

        Assert.Equal(TimeSpan.FromMilliseconds(0.5), wait);
        Assert.Equal(1, clock.Reads - readsBefore);
        using var neverSet = new ManualResetEvent(false);
        Assert.False(neverSet.WaitOne(wait), "a wait handle accepts the wait and times out");
    }

    [Fact]
    public void Each_step_reads_the_clock_once_and_waits_until_its_item_is_due()
    {
        // Item n is due at n ms and its step reads the clock at 0.7 n ms: the wait is 0.3 n ms.
        var clock = new SteppingClock(startAt: TimeSpan.Zero, stepPerRead: TimeSpan.FromMilliseconds(0.7));
        var pacer = new RatePacer(1_000, clock);
        var readsBefore = clock.Reads;

        var waits = Enumerable.Range(1, 1_000).Select(n => (Item: n, Wait: pacer.Next())).ToList();

        Assert.Equal(1_000, clock.Reads - readsBefore);
        Assert.All(waits, step => Assert.InRange(step.Wait.Ticks, 3_000L * step.Item - 1, 3_000L * step.Item + 1));
    }

    [Fact]
    public void Behind_schedule_the_wait_is_zero_and_ahead_of_it_the_wait_reaches_the_due_time()
    {
        var clock = new SteppingClock(startAt: TimeSpan.FromSeconds(10), stepPerRead: TimeSpan.Zero);
        var pacer = new RatePacer(100, clock);

        clock.Set(TimeSpan.FromSeconds(10.5));
        Assert.Equal(TimeSpan.Zero, pacer.Next()); // item 1 was due at 10.01 s

        clock.Set(TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromMilliseconds(20), pacer.Next()); // item 2 is due at 10.02 s
    }

    [Fact]
    public void A_rate_that_is_not_positive_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RatePacer(0, TimeProvider.System));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RatePacer(-5, TimeProvider.System));
    }

    /// <summary>A clock in ticks of 100 ns that moves on by a fixed step every time it is read.</summary>
    private sealed class SteppingClock(TimeSpan startAt, TimeSpan stepPerRead) : TimeProvider
    {
        private TimeSpan now = startAt;

        public int Reads { get; private set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public void Set(TimeSpan time) => now = time;

        public override long GetTimestamp()
        {
            Reads++;
            var reading = now;
            now += stepPerRead;
            return reading.Ticks;
        }
    }
}
