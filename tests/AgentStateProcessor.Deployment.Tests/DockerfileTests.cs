using System.Xml.Linq;
using AgentStateProcessor.Deployment.Tests.Support;
using YamlDotNet.RepresentationModel;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.Deployment.Tests;

/// <summary>
/// The image cannot be built here (no Docker engine); these keep deploy/Dockerfile in line with the
/// project, with the publish command that was run on this machine, and with the Helm chart.
/// </summary>
public class DockerfileTests
{
    private static readonly Dockerfile File = Dockerfile.Load();
    private static readonly YamlMappingNode ChartValues = YamlNodes.LoadFile(Path.Combine(Helm.ChartDirectory, "values.yaml"));

    [Fact]
    public void Builds_with_the_SDK_and_runs_on_the_ASP_NET_runtime_of_the_project_s_target_framework()
    {
        var targetFramework = XDocument.Load(RepositoryRoot.PathOf("Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        var version = targetFramework["net".Length..];
        var stages = File.Instructions.Where(i => i.Keyword == "FROM").Select(i => i.Arguments).ToList();

        Assert.Equal([$"mcr.microsoft.com/dotnet/sdk:{version} AS build", $"mcr.microsoft.com/dotnet/aspnet:{version} AS runtime"], stages);
    }

    [Fact]
    public void Publishes_with_the_command_documented_as_checked()
    {
        var publish = File.PublishCommand;
        var documented = System.IO.File.ReadAllText(RepositoryRoot.PathOf("deploy", "README.md"));

        Assert.Contains("`" + publish + "`", documented);
        Assert.True(System.IO.File.Exists(RepositoryRoot.PathOf(publish.Split(' ')[2].Split('/'))), publish);
        Assert.Contains($"COPY --from=build {Dockerfile.PublishDirectory} ./", File.Stage("runtime").Select(i => $"{i.Keyword} {i.Arguments}"));
        Assert.Contains($" -o {Dockerfile.PublishDirectory} ", publish);
    }

    [Fact]
    public void The_entry_point_runs_the_published_assembly()
    {
        var project = RepositoryRoot.PathOf("src", "AgentStateProcessor", "AgentStateProcessor.csproj");

        Assert.Empty(XDocument.Load(project).Descendants("AssemblyName"));
        Assert.Equal(["dotnet", Path.GetFileNameWithoutExtension(project) + ".dll"], File.EntryPoint);
    }

    [Fact]
    public void Runs_as_the_chart_s_numeric_non_root_user_on_the_chart_s_port()
    {
        var runtime = File.Stage("runtime").ToList();

        Assert.Equal(ChartValues.Scalar("containerSecurityContext", "runAsUser"), runtime.Single(i => i.Keyword == "USER").Arguments);
        Assert.Equal(ChartValues.Scalar("http", "port"), runtime.Single(i => i.Keyword == "EXPOSE").Arguments);
        Assert.Equal(ChartValues.Scalar("http", "port"), File.RuntimeEnvironment["Http__Port"]);
        Assert.Equal("/tmp", File.RuntimeEnvironment["TMPDIR"]);
    }

    [Fact]
    public void Installs_no_system_packages()
    {
        Assert.DoesNotContain(File.Instructions, i => i.Keyword == "RUN"
            && System.Text.RegularExpressions.Regex.IsMatch(i.Arguments, @"\b(apt|apt-get|dpkg|apk|yum|dnf|microdnf|tdnf)\b"));
    }

    [Fact]
    public void Every_file_the_build_copies_is_admitted_by_the_dockerignore_and_build_output_is_not()
    {
        var ignore = System.IO.File.ReadAllLines(RepositoryRoot.PathOf(".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var sources = File.Stage("build").Where(i => i.Keyword == "COPY")
            .SelectMany(i => i.Arguments.Split(' ')[..^1]).ToList();

        Assert.Equal("*", ignore[0]);
        Assert.All(sources, source => Assert.Contains("!" + source, ignore));
        Assert.All(sources, source => Assert.True(Path.Exists(RepositoryRoot.PathOf(source.TrimEnd('/'))), source));
        Assert.Contains("**/bin/", ignore);
        Assert.Contains("**/obj/", ignore);
    }
}
