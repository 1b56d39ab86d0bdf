using System.Text.RegularExpressions;
using AgentStateProcessor.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.Deployment.Tests;

/// <summary>deploy/compose.yaml cannot run here; its topics must still match what the chart configures.</summary>
public partial class ComposeTests
{
    private static readonly YamlMappingNode Compose = YamlNodes.LoadFile(RepositoryRoot.PathOf("deploy", "compose.yaml"));
    private static readonly YamlMappingNode ChartValues = YamlNodes.LoadFile(Path.Combine(Helm.ChartDirectory, "values.yaml"));

    [Fact]
    public void Creates_every_topic_the_processor_uses_with_its_partitions_and_compaction()
    {
        var topics = CreatedTopics();
        var input = topics[ChartValues.Scalar("topics", "input")];

        Assert.Equal(6, input.Partitions);
        Assert.Equal(input.Partitions, topics[ChartValues.Scalar("topics", "agentSnapshots")].Partitions);
        Assert.Equal(input.Partitions, topics[ChartValues.Scalar("topics", "dnSnapshots")].Partitions);
        Assert.Equal(input.Partitions, topics[ChartValues.Scalar("topics", "agentStateChanges")].Partitions);
        Assert.Equal(topics[ChartValues.Scalar("topics", "dnSnapshots")].Partitions, topics[ChartValues.Scalar("topics", "dnRepartition")].Partitions);
        Assert.Equal(1, topics[ChartValues.Scalar("topics", "progress")].Partitions);
        Assert.Equal(
            new[] { "agentSnapshots", "dnSnapshots", "progress" }.Select(t => ChartValues.Scalar("topics", t)).Order(),
            topics.Where(t => t.Value.Compacted).Select(t => t.Key).Order());
        Assert.Contains(ChartValues.Scalar("topics", "deadLetters"), topics.Keys);
        Assert.Equal(7, topics.Count);
    }

    [Fact]
    public void Runs_the_processor_from_deploy_Dockerfile_and_tails_the_agent_snapshots_read_committed()
    {
        var services = (YamlMappingNode)Compose.Path("services");
        var command = ((YamlSequenceNode)services.Path("snapshots", "command")).Select(n => ((YamlScalarNode)n).Value).ToList();

        Assert.Equal("deploy/Dockerfile", services.Scalar("processor", "build", "dockerfile"));
        Assert.Equal("..", services.Scalar("processor", "build", "context"));
        Assert.Equal("true", services.Scalar("processor", "read_only"));
        Assert.Equal(ChartValues.Scalar("topics", "agentSnapshots"), command[command.IndexOf("-t") + 1]);
        Assert.Contains("isolation.level=read_committed", command);
        Assert.StartsWith("apache/kafka:", services.Scalar("kafka", "image"));
        Assert.StartsWith("confluentinc/cp-schema-registry:", services.Scalar("schema-registry", "image"));
    }

    private static Dictionary<string, (int Partitions, bool Compacted)> CreatedTopics()
    {
        var services = (YamlMappingNode)Compose.Path("services");
        var partitions = int.Parse(services.Scalar("topics", "environment", "PARTITIONS"), System.Globalization.CultureInfo.InvariantCulture);
        var script = services.Scalar("topics", "command", "0");
        return CreateLine().Matches(script).ToDictionary(
            m => m.Groups["topic"].Value,
            m => (m.Groups["partitions"].Value == "\"$$PARTITIONS\"" ? partitions : int.Parse(m.Groups["partitions"].Value, System.Globalization.CultureInfo.InvariantCulture),
                  m.Groups["rest"].Value.Contains("cleanup.policy=compact", StringComparison.Ordinal)));
    }

    [GeneratedRegex(@"^create --topic (?<topic>\S+) --partitions (?<partitions>\S+)(?<rest>.*)$", RegexOptions.Multiline)]
    private static partial Regex CreateLine();
}
