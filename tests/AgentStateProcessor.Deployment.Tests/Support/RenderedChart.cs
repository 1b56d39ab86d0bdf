using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace AgentStateProcessor.Deployment.Tests.Support;

/// <summary>
/// The manifests of one `helm template`. Kubernetes kinds are parsed with KubernetesClient's model
/// types in strict mode, so a misspelled or misplaced field fails the parse instead of being
/// dropped as the API server would (silently, for many fields). Custom resources (Prometheus
/// Operator, KEDA) have no model types and are kept as YAML.
/// </summary>
internal sealed partial class RenderedChart
{
    private static readonly string[] CustomResourceGroups = ["monitoring.coreos.com/", "keda.sh/"];

    private RenderedChart(IReadOnlyList<IKubernetesObject> objects, IReadOnlyList<YamlMappingNode> customResources)
    {
        Objects = objects;
        CustomResources = customResources;
    }

    public IReadOnlyList<IKubernetesObject> Objects { get; }

    public IReadOnlyList<YamlMappingNode> CustomResources { get; }

    public IEnumerable<string> Kinds =>
        Objects.Select(o => o.Kind).Concat(CustomResources.Select(r => r.Scalar("kind")));

    public static RenderedChart Parse(string manifests)
    {
        var objects = new List<IKubernetesObject>();
        var customResources = new List<YamlMappingNode>();
        foreach (var document in DocumentSeparator().Split(manifests))
        {
            var root = ParseYaml(document);
            if (root is null)
            {
                continue;
            }
            var apiVersion = root.Scalar("apiVersion");
            if (CustomResourceGroups.Any(apiVersion.StartsWith))
            {
                customResources.Add(root);
            }
            else
            {
                objects.AddRange(ParseStrictly(document).Cast<IKubernetesObject>());
            }
        }
        return new RenderedChart(objects, customResources);
    }

    public static List<object> ParseStrictly(string document) =>
        KubernetesYaml.LoadAllFromString(document, typeMap: null, strict: true);

    public T Single<T>() where T : IKubernetesObject => Assert.Single(Objects.OfType<T>());

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public YamlMappingNode CustomResource(string kind) =>
        Assert.Single(CustomResources, r => r.Scalar("kind") == kind);

    public V1PodTemplateSpec PodTemplate =>
        Objects.OfType<V1StatefulSet>().Select(s => s.Spec.Template)
            .Concat(Objects.OfType<V1Deployment>().Select(d => d.Spec.Template))
            .Single();

    public V1Container Container => Assert.Single(PodTemplate.Spec.Containers);

    public IDictionary<string, string> Config => Single<V1ConfigMap>().Data;

    private static YamlMappingNode? ParseYaml(string document)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(document));
        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode as YamlMappingNode;
    }

    [GeneratedRegex(@"^---[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();
}

internal static class YamlNodes
{
    public static YamlNode Path(this YamlNode node, params string[] keys)
    {
        foreach (var key in keys)
        {
            node = int.TryParse(key, out var index)
                ? ((YamlSequenceNode)node).Children[index]
                : ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        }
        return node;
    }

    public static string Scalar(this YamlNode node, params string[] keys) =>
        ((YamlScalarNode)node.Path(keys)).Value ?? "";

    public static bool Has(this YamlMappingNode node, string key) => node.Children.ContainsKey(new YamlScalarNode(key));

    public static YamlMappingNode LoadFile(string path)
    {
        var stream = new YamlStream();
        using var reader = File.OpenText(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
