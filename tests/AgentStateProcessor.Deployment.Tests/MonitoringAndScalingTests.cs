using AgentStateProcessor.Deployment.Tests.Support;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace AgentStateProcessor.Deployment.Tests;

/// <summary>Prometheus Operator and KEDA resources (no model types: checked as YAML) and the NetworkPolicy.</summary>
public class MonitoringAndScalingTests
{
    [Fact]
    public void Nothing_optional_renders_by_default()
    {
        var chart = Helm.Template();

        Assert.Empty(chart.CustomResources);
        Assert.Empty(chart.All<V1NetworkPolicy>());
    }

    [Fact]
    public void The_ServiceMonitor_scrapes_metrics_on_the_http_port_of_the_chart_s_service()
    {
        var chart = Helm.Template("--set", "metrics.serviceMonitor.enabled=true,metrics.serviceMonitor.labels.release=prom");
        var monitor = chart.CustomResource("ServiceMonitor");
        var service = Assert.Single(chart.All<V1Service>(), s => s.Spec.ClusterIP != "None");

        Assert.Equal("monitoring.coreos.com/v1", monitor.Scalar("apiVersion"));
        Assert.Equal("prom", monitor.Scalar("metadata", "labels", "release"));
        Assert.Equal("http", monitor.Scalar("spec", "endpoints", "0", "port"));
        Assert.Equal("/metrics", monitor.Scalar("spec", "endpoints", "0", "path"));
        Assert.Contains(service.Spec.Ports, p => p.Name == "http");
        AssertSelects((YamlMappingNode)monitor.Path("spec", "selector", "matchLabels"), service.Metadata.Labels);
    }

    [Fact]
    public void The_PodMonitor_scrapes_metrics_on_the_container_s_http_port()
    {
        var chart = Helm.Template("--set", "metrics.podMonitor.enabled=true");
        var monitor = chart.CustomResource("PodMonitor");

        Assert.Equal("http", monitor.Scalar("spec", "podMetricsEndpoints", "0", "port"));
        Assert.Equal("/metrics", monitor.Scalar("spec", "podMetricsEndpoints", "0", "path"));
        Assert.Contains(chart.Container.Ports, p => p.Name == "http");
        AssertSelects((YamlMappingNode)monitor.Path("spec", "selector", "matchLabels"), chart.PodTemplate.Metadata.Labels);
    }

    [Theory]
    [InlineData("StatefulSet")]
    [InlineData("Deployment")]
    public void The_ScaledObject_scales_the_workload_on_the_group_s_input_lag_and_never_to_zero(string kind)
    {
        var chart = Helm.Template("--set", $"workload.kind={kind},keda.enabled=true,keda.maxReplicaCount=6,kafka.groupId=asp-prod");
        var scaledObject = chart.CustomResource("ScaledObject");
        var workloadName = kind == "StatefulSet" ? chart.Single<V1StatefulSet>().Metadata.Name : chart.Single<V1Deployment>().Metadata.Name;
        var trigger = scaledObject.Path("spec", "triggers", "0");

        Assert.Equal("keda.sh/v1alpha1", scaledObject.Scalar("apiVersion"));
        Assert.Equal(kind, scaledObject.Scalar("spec", "scaleTargetRef", "kind"));
        Assert.Equal(workloadName, scaledObject.Scalar("spec", "scaleTargetRef", "name"));
        Assert.Equal("1", scaledObject.Scalar("spec", "minReplicaCount"));
        Assert.Equal("6", scaledObject.Scalar("spec", "maxReplicaCount"));
        Assert.Equal("kafka", trigger.Scalar("type"));
        Assert.Equal("asp-prod", trigger.Scalar("metadata", "consumerGroup"));
        Assert.Equal("voice-agentstate", trigger.Scalar("metadata", "topic"));
        Assert.Equal("kafka:9092", trigger.Scalar("metadata", "bootstrapServers"));
        Assert.Equal("false", trigger.Scalar("metadata", "allowIdleConsumers"));
    }

    [Fact]
    public void Under_KEDA_the_workload_leaves_the_replica_count_to_the_autoscaler()
    {
        Assert.Null(Helm.Template("--set", "keda.enabled=true").Single<V1StatefulSet>().Spec.Replicas);
    }

    [Fact]
    public void The_NetworkPolicy_admits_the_http_port_from_the_listed_peers_and_limits_egress()
    {
        var chart = Helm.Template("-f", Helm.ProductionValues);
        var policy = chart.Single<V1NetworkPolicy>();
        var ingress = Assert.Single(policy.Spec.Ingress);

        Assert.Equal("http", Assert.Single(ingress.Ports).Port.Value);
        Assert.Equal(2, ingress.FromProperty.Count);
        Assert.Equal(["Ingress", "Egress"], policy.Spec.PolicyTypes);
        Assert.Contains(policy.Spec.Egress, rule => rule.Ports.Any(p => p.Port.Value == "53"));
        Assert.Contains(policy.Spec.Egress, rule => rule.Ports.Any(p => p.Port.Value == "9093"));
        Assert.All(policy.Spec.PodSelector.MatchLabels, label => Assert.Equal(label.Value, chart.PodTemplate.Metadata.Labels[label.Key]));
    }

    private static void AssertSelects(YamlMappingNode matchLabels, IDictionary<string, string> labels)
    {
        Assert.NotEmpty(matchLabels.Children);
        foreach (var (key, value) in matchLabels.Children)
        {
            Assert.Equal(((YamlScalarNode)value).Value, labels[((YamlScalarNode)key).Value!]);
        }
    }
}
