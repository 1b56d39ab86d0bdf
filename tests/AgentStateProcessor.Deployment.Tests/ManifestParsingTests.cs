using AgentStateProcessor.Deployment.Tests.Support;
using k8s.Models;

namespace AgentStateProcessor.Deployment.Tests;

public class ManifestParsingTests
{
    /// <summary>Value sets that between them switch on every template.</summary>
    public static TheoryData<string[]> EveryTemplate => new()
    {
        Array.Empty<string>(),
        new[] { "-f", Helm.ProductionValues },
        new[] { "-f", Helm.ProductionValues, "--set", "metrics.serviceMonitor.enabled=false,metrics.podMonitor.enabled=true,keda.enabled=true" },
        new[] { "--set", "workload.kind=Deployment,podDisruptionBudget.enabled=false,serviceAccount.create=false,networkPolicy.enabled=true" },
    };

    [Theory]
    [MemberData(nameof(EveryTemplate))]
    public void Every_rendered_manifest_parses_strictly_as_its_Kubernetes_type(string[] values)
    {
        // Template throws on a manifest with a field its model type lacks.
        var chart = Helm.Template(values);

        Assert.Contains(chart.Kinds, kind => kind is "StatefulSet" or "Deployment");
        Assert.All(chart.Objects, o => Assert.False(string.IsNullOrEmpty(o.ApiVersion)));
    }

    [Fact]
    public void The_strict_parser_rejects_a_misplaced_field()
    {
        // The proof that the parse above can fail: `readOnly` belongs to a volume mount, not a volume.
        const string manifest = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
            spec:
              containers: [{ name: c, image: i }]
              volumes:
                - name: tmp
                  readOnly: true
                  emptyDir: {}
            """;

        Assert.ThrowsAny<Exception>(() => RenderedChart.ParseStrictly(manifest));
        Assert.IsType<V1Pod>(Assert.Single(RenderedChart.ParseStrictly(manifest.Replace("      readOnly: true\n", ""))));
    }

    [Fact]
    public void The_chart_renders_no_Secret_of_its_own()
    {
        var chart = Helm.Template("-f", Helm.ProductionValues);

        Assert.DoesNotContain("Secret", chart.Kinds);
    }
}
