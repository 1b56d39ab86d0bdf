using AgentStateProcessor.Deployment.Tests.Support;

namespace AgentStateProcessor.Deployment.Tests;

public class SmokeTests
{
    [Fact]
    public void Renders()
    {
        var chart = Helm.Template();
        Assert.NotEmpty(chart.Objects);
    }
}
