using System.Collections.Immutable;

namespace AgentStateProcessor.Processing.Tests;

/// <summary>
/// The pool shares one instance per distinct value, and stays within its bounds whatever the
/// input offers: beyond them it hands back what it was given.
/// </summary>
public sealed class InternPoolTests
{
    /// <summary>An equal string that is not the same instance, as a fresh record brings.</summary>
    private static string Fresh(string text) => new(text.AsSpan());

    [Fact]
    public void Equal_strings_from_strings_and_spans_share_the_first_instance()
    {
        var pool = new InternPool(maxStrings: 10, maxStringLength: 20, maxArrays: 10, maxArrayLength: 4);
        var first = Fresh("tenant-01");

        Assert.Same(first, pool.Intern(first));
        Assert.Same(first, pool.Intern(Fresh("tenant-01")));
        Assert.Same(first, pool.Intern("key tenant-01:agent".AsSpan(4, 9)));
        Assert.Null(pool.Intern((string?)null));
        Assert.Equal(1, pool.StringCount);
    }

    [Fact]
    public void Past_its_bound_the_pool_keeps_what_it_holds_and_hands_back_new_strings_as_given()
    {
        var pool = new InternPool(maxStrings: 3, maxStringLength: 20, maxArrays: 10, maxArrayLength: 4);
        var pooled = Enumerable.Range(0, 3).Select(i => pool.Intern(Fresh($"queue-{i}"))).ToList();

        for (var i = 3; i < 10_000; i++)
        {
            var offered = Fresh($"queue-{i}");
            Assert.Same(offered, pool.Intern(offered));
            Assert.Equal($"queue-{i}", pool.Intern($"queue-{i}".AsSpan()));
        }

        Assert.Equal(3, pool.StringCount);
        Assert.All(pooled, text => Assert.Same(text, pool.Intern(Fresh(text))));
        var unpooled = Fresh("queue-5");
        Assert.Same(unpooled, pool.Intern(unpooled));
    }

    [Fact]
    public void Strings_longer_than_the_bound_are_not_pooled()
    {
        var pool = new InternPool(maxStrings: 10, maxStringLength: 8, maxArrays: 10, maxArrayLength: 4);
        var longText = Fresh("123456789");

        Assert.Same(longText, pool.Intern(longText));
        Assert.NotSame(longText, pool.Intern(Fresh("123456789")));
        Assert.Equal(0, pool.StringCount);
        Assert.Same(pool.Intern(Fresh("12345678")), pool.Intern(Fresh("12345678")));
    }

    [Fact]
    public void Equal_arrays_of_pooled_names_share_the_first_array()
    {
        var pool = new InternPool(maxStrings: 10, maxStringLength: 20, maxArrays: 10, maxArrayLength: 4);
        var first = ImmutableArray.Create(pool.Intern("Q1"), pool.Intern("Q2"));

        Assert.Equal(first, pool.Intern(first));
        Assert.Equal(first, pool.Intern(ImmutableArray.Create(pool.Intern("Q1"), pool.Intern("Q2"))));
        Assert.Equal(first, pool.Intern(ImmutableArray.Create(Fresh("Q1"), Fresh("Q2"))));
        Assert.Equal(1, pool.ArrayCount);
        Assert.Equal(ImmutableArray<string>.Empty, pool.Intern(ImmutableArray<string>.Empty));
    }

    [Fact]
    public void Arrays_with_a_name_the_pool_does_not_hold_too_long_or_past_the_bound_are_handed_back_as_given()
    {
        var pool = new InternPool(maxStrings: 100, maxStringLength: 20, maxArrays: 2, maxArrayLength: 2);
        var unpooledName = ImmutableArray.Create(pool.Intern("Q1"), Fresh("Q2"));
        var tooLong = ImmutableArray.Create(pool.Intern("Q1"), pool.Intern("Q2"), pool.Intern("Q3"));

        Assert.Equal(unpooledName, pool.Intern(unpooledName));
        Assert.Equal(tooLong, pool.Intern(tooLong));
        Assert.Equal(0, pool.ArrayCount);

        var sets = Enumerable.Range(0, 50).Select(i => ImmutableArray.Create(pool.Intern($"Q{i}"))).ToList();
        var results = sets.Select(pool.Intern).ToList();

        Assert.Equal(2, pool.ArrayCount);
        Assert.Equal(sets, results);
        Assert.Equal(sets[0], pool.Intern(ImmutableArray.Create(pool.Intern("Q0"))));
        var third = ImmutableArray.Create(pool.Intern("Q2"));
        Assert.Equal(third, pool.Intern(third));
    }

    [Fact]
    public void Threads_racing_for_the_same_values_fill_the_pool_to_its_bound_and_no_further()
    {
        var pool = new InternPool(maxStrings: 50, maxStringLength: 20, maxArrays: 10, maxArrayLength: 4);
        var results = new string[8][];

        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            results[t] = [.. Enumerable.Range(0, 200).Select(i => pool.Intern(Fresh($"v{i}")))];
        });

        Assert.Equal(50, pool.StringCount);
        var pooledValues = 0;
        for (var i = 0; i < 200; i++)
        {
            Assert.All(results, r => Assert.Equal($"v{i}", r[i]));
            var offered = Fresh($"v{i}");
            var answer = pool.Intern(offered);
            if (ReferenceEquals(answer, offered)) continue;
            pooledValues++;
            Assert.Contains(results, r => ReferenceEquals(r[i], answer));
        }
        Assert.Equal(50, pooledValues);
    }
}
