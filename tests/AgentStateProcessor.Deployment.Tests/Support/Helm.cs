using System.Diagnostics;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.Deployment.Tests.Support;

/// <summary>Runs the helm binary that scripts/install-helm.sh installs (and prints), against the chart.</summary>
internal static class Helm
{
    public static readonly string ChartDirectory = RepositoryRoot.PathOf("helm", "agent-state-processor");
    public static readonly string ProductionValues = Path.Combine(ChartDirectory, "values-production.yaml");

    // The install script is idempotent and prints the binary's path as its last line, so a fresh
    // CI machine gets helm on first use.
    private static readonly Lazy<string> Binary = new(() =>
    {
        var result = Run("bash", [RepositoryRoot.PathOf("scripts", "install-helm.sh")]);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException("scripts/install-helm.sh failed: " + result.StandardError);
        }
        return result.StandardOutput.Trim().Split('\n')[^1].Trim();
    });

    public static CommandResult Lint(params string[] arguments) =>
        Run(Binary.Value, ["lint", "--strict", ChartDirectory, .. arguments]);

    public static CommandResult TryTemplate(params string[] arguments) =>
        Run(Binary.Value, ["template", "asp", ChartDirectory, "--namespace", "voice", .. arguments]);

    public static RenderedChart Template(params string[] arguments)
    {
        var result = TryTemplate(arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"helm template {string.Join(' ', arguments)} failed: {result.StandardError}");
        }
        return RenderedChart.Parse(result.StandardOutput);
    }

    private static CommandResult Run(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + fileName);
        var standardError = process.StandardError.ReadToEndAsync();
        var standardOutput = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new CommandResult(process.ExitCode, standardOutput, standardError.Result);
    }
}

internal sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);
