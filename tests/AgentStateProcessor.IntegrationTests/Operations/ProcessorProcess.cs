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
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(120);

    public static async Task<ProcessorExit> RunAsync(params (string Name, string Value)[] environment)
    {
        using var process = Start(environment);
        return await process.WaitForExitAsync();
    }

    /// <summary>Starts the processor; the caller reads its output as it comes and decides when it stops.</summary>
    public static RunningProcessor Start(params (string Name, string Value)[] environment)
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
        return new RunningProcessor(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"), ExitTimeout);
    }

    private static bool IsSetting(string name) =>
        name.Contains("__", StringComparison.Ordinal) || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A started processor process whose output is collected line by line while it runs.</summary>
internal sealed class RunningProcessor : IDisposable
{
    private readonly Process _process;
    private readonly TimeSpan _exitTimeout;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _error = new();

    public RunningProcessor(Process process, TimeSpan exitTimeout)
    {
        _process = process;
        _exitTimeout = exitTimeout;
        _process.OutputDataReceived += (_, line) => { if (line.Data is not null) _output.Enqueue(line.Data); };
        _process.ErrorDataReceived += (_, line) => { if (line.Data is not null) _error.Enqueue(line.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Output => string.Join(Environment.NewLine, _output);

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_output.Any(line => line.Contains(text, StringComparison.Ordinal)))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline) Assert.Fail($"the processor never wrote '{text}'. {await WaitForExitOrKillAsync()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Sends SIGTERM, as Kubernetes does to stop a pod.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<ProcessorExit> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(_exitTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"the processor did not exit within {_exitTimeout}; stdout: {Output}; stderr: {string.Join(Environment.NewLine, _error)}");
        }
        // WaitForExit without a timeout also waits for the redirected streams to end.
        _process.WaitForExit();
        return new ProcessorExit(_process.ExitCode, Output, string.Join(Environment.NewLine, _error));
    }

    private async Task<ProcessorExit> WaitForExitOrKillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        return await WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
