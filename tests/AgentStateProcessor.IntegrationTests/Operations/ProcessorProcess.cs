using System.Diagnostics;

namespace AgentStateProcessor.IntegrationTests.Operations;

internal sealed record ProcessorExit(int ExitCode, string StandardOutput, string StandardError)
{
    public IReadOnlyList<string> ErrorLines => StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IReadOnlyList<string> OutputLines => StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{StandardOutput}{Environment.NewLine}stderr:{Environment.NewLine}{StandardError}";
}

/// <summary>
/// The built processor run as a child process (<c>dotnet AgentStateProcessor.dll</c>), configured
/// only by the environment variables given, the way a container runs it.
/// </summary>
internal static class ProcessorProcess
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(120);

    public static async Task<ProcessorExit> RunAsync(params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AgentStateProcessor.dll"));
        // Only what the test gives: no setting of the test runner's environment leaks in.
        foreach (var name in start.Environment.Keys.Where(IsSetting).ToList()) start.Environment.Remove(name);
        start.Environment["Http__Port"] = "0";
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ExitTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the processor did not exit within {ExitTimeout}; stdout: {await output}; stderr: {await error}");
        }
        return new ProcessorExit(process.ExitCode, await output, await error);
    }

    private static bool IsSetting(string name) =>
        name.Contains("__", StringComparison.Ordinal) || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase);
}
