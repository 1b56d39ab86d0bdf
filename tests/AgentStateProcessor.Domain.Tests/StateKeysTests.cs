namespace AgentStateProcessor.Domain.Tests;

public class StateKeysTests
{
    [Theory]
    [InlineData("t1:a1", true, "t1", "a1")]
    [InlineData("t1:ag:4", true, "t1", "ag:4")]
    [InlineData(":a1", false, "", "")]
    [InlineData("t1:", false, "", "")]
    [InlineData("t1", false, "", "")]
    [InlineData("", false, "", "")]
    public void TrySplit_splits_at_the_first_colon_and_rejects_an_empty_part(string key, bool ok, string tenant, string id)
    {
        Assert.Equal(ok, StateKeys.TrySplit(key, out var actualTenant, out var actualId));
        Assert.Equal(tenant, actualTenant);
        Assert.Equal(id, actualId);
    }

    [Theory]
    [InlineData("t1", "a1")]
    [InlineData("t1", "ag:4")]
    public void Of_and_TrySplit_round_trip(string tenant, string id)
    {
        Assert.True(StateKeys.TrySplit(StateKeys.Of(tenant, id), out var actualTenant, out var actualId));
        Assert.Equal((tenant, id), (actualTenant, actualId));
    }
}
