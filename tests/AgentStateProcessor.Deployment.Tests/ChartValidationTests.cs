using AgentStateProcessor.Deployment.Tests.Support;

namespace AgentStateProcessor.Deployment.Tests;

/// <summary>Combinations the chart refuses to render, each with the reason in the message.</summary>
public class ChartValidationTests
{
    [Theory]
    [InlineData("replicaCount=7", "exceeds topics.inputPartitions")]
    [InlineData("keda.enabled=true,keda.maxReplicaCount=7", "keda.maxReplicaCount (7) exceeds")]
    [InlineData("workload.kind=Deployment,kafka.staticMembership=true", "needs workload.kind StatefulSet")]
    [InlineData("metrics.serviceMonitor.enabled=true,metrics.podMonitor.enabled=true", "not both")]
    [InlineData("kafka.securityProtocol=SaslSsl", "needs kafka.sasl.mechanism")]
    [InlineData("kafka.tls.ca.existingSecret=ca", "not Ssl or SaslSsl")]
    [InlineData("probes.startup.failureThreshold=20", "startup probe allows 100s")]
    [InlineData("keda.enabled=true,keda.minReplicaCount=0", "minReplicaCount")]
    [InlineData("schemaRegistry.url=http://registry:8081,schemaRegistry.outageRetryBackoff=5s", "schemaRegistry.outageRetryBackoff: Does not match pattern")]
    [InlineData("schemaRegistry.url=http://registry:8081,schemaRegistry.maxRetries=-1", "schemaRegistry.maxRetries: Must be greater than or equal to 0")]
    public void Refuses(string settings, string reason)
    {
        var result = Helm.TryTemplate("--set", settings);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(reason, result.StandardError);
    }

    [Fact]
    public void Replicas_up_to_the_partition_count_render()
    {
        Assert.Equal(6, Helm.Template("--set", "replicaCount=6").Single<k8s.Models.V1StatefulSet>().Spec.Replicas);
        Assert.Equal(12, Helm.Template("--set", "replicaCount=12,topics.inputPartitions=12").Single<k8s.Models.V1StatefulSet>().Spec.Replicas);
    }
}
