using System.Collections.Immutable;

namespace AgentStateProcessor.Domain.Tests;

public class SortedNamesTests
{
    [Theory]
    [InlineData(new string[0], "Q1", new[] { "Q1" })]
    [InlineData(new[] { "Q1", "Q3" }, "Q2", new[] { "Q1", "Q2", "Q3" })]
    [InlineData(new[] { "Q1", "Q2" }, "Q10", new[] { "Q1", "Q10", "Q2" })]
    [InlineData(new[] { "a", "b" }, "B", new[] { "B", "a", "b" })]
    [InlineData(new[] { "Q1", "Q2" }, "Q2", new[] { "Q1", "Q2" })]
    [InlineData(new[] { "Q1" }, null, new[] { "Q1" })]
    public void With_inserts_in_ordinal_order_and_keeps_names_unique(string[] names, string? name, string[] expected)
    {
        Assert.Equal<string>(expected, SortedNames.With([.. names], name));
    }

    [Theory]
    [InlineData(new[] { "Q1", "Q2", "Q3" }, "Q2", new[] { "Q1", "Q3" })]
    [InlineData(new[] { "Q1", "Q3" }, "Q2", new[] { "Q1", "Q3" })]
    [InlineData(new[] { "Q1" }, "q1", new[] { "Q1" })]
    [InlineData(new string[0], "Q1", new string[0])]
    [InlineData(new[] { "Q1" }, null, new[] { "Q1" })]
    public void Without_removes_only_the_exact_name(string[] names, string? name, string[] expected)
    {
        Assert.Equal<string>(expected, SortedNames.Without([.. names], name));
    }

    [Fact]
    public void Adding_a_present_name_or_removing_an_absent_one_returns_the_same_array()
    {
        ImmutableArray<string> names = ["Q1", "Q2"];

        Assert.Equal(names, SortedNames.With(names, "Q1"));
        Assert.Equal(names, SortedNames.Without(names, "Q9"));
    }
}
