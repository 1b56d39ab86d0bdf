using System.Collections.Concurrent;
using System.Diagnostics;
using AgentStateProcessor.Kafka;

namespace AgentStateProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// The processor in a process of its own, configured through environment variables, so a test can
/// kill it as a crash would: no commit, no abort, no leaving the group.
/// </summary>
internal sealed class ProcessorProcess : IDisposable
{
    private const int ShownOutputLines = 25;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ProcessorProcess(Process process) => _process = process;

    /// <summary>Starts the processor of this test run with <paramref name="settings"/> (configuration keys as in appsettings.json).</summary>
    public static ProcessorProcess Start(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var processor = typeof(PipelineMetrics).Assembly.Location;
        var tests = typeof(ProcessorProcess).Assembly.Location;
        // The test run's runtime configuration and dependencies, not the processor's own: here its
        // Microsoft.Extensions.* come from the ASP.NET Core framework the test project references.
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "exec",
            "--runtimeconfig", Path.ChangeExtension(tests, ".runtimeconfig.json"),
            "--depsfile", Path.ChangeExtension(tests, ".deps.json"),
            processor,
        })
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (key, value) in settings)
        {
            startInfo.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var started = new ProcessorProcess(process);
        process.OutputDataReceived += (_, line) => started.Collect(line.Data);
        process.ErrorDataReceived += (_, line) => started.Collect(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Polls <paramref name="condition"/>; fails with the process's last output if it exits first or the time runs out.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string description, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (_process.HasExited) Assert.Fail($"The processor process exited (code {_process.ExitCode}) before '{description}'. {Describe()}");
            if (clock.Elapsed > timeout) Assert.Fail($"Waited {timeout} for '{description}' in vain. {Describe()}");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: the process gets no chance to commit, abort or say goodbye.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public string Describe() =>
        $"Output of the processor process:{Environment.NewLine}{string.Join(Environment.NewLine, _output.TakeLast(ShownOutputLines))}";

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is not null) _output.Enqueue(line);
    }

    // The test host runs on the dotnet host; use the same one, whatever dotnet PATH finds.
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
