using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace AgentStateProcessor.IntegrationTests.Infrastructure;

internal sealed record ProcessorExit(int ExitCode, string StandardOutput, string StandardError)
{
    public IReadOnlyList<string> ErrorLines => StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IReadOnlyList<string> OutputLines => StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{StandardOutput}{Environment.NewLine}stderr:{Environment.NewLine}{StandardError}";
}

/// <summary>
/// The processor in a process of its own, configured only through environment variables as a
/// container runs it, with its output collected line by line while it runs. A test stops it as
/// Kubernetes would (SIGTERM) or as a crash would (SIGKILL: no commit, no abort, no leaving the group).
/// </summary>
internal sealed class ProcessorProcess : IDisposable
{
    public static readonly TimeSpan DefaultExitTimeout = TimeSpan.FromSeconds(120);
    private const int ShownOutputLines = 25;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _error = new();
    private readonly ConcurrentQueue<string> _both = new();

    private ProcessorProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output => string.Join(Environment.NewLine, _output);

    /// <summary>
    /// Starts the processor this test project was built with (<c>dotnet AgentStateProcessor.dll</c> from the
    /// test's output directory) on an HTTP port of its own choosing, with <paramref name="environment"/> as
    /// its only settings: no setting in the test runner's environment leaks in.
    /// </summary>
    public static ProcessorProcess Start(params IEnumerable<(string Name, string Value)> environment)
    {
        var start = new ProcessStartInfo(DotnetHost());
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AgentStateProcessor.dll"));
        foreach (var name in start.Environment.Keys.Where(IsSetting).ToList()) start.Environment.Remove(name);
        start.Environment["Http__Port"] = "0";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return Start(start);
    }

    /// <summary>As <see cref="Start(IEnumerable{ValueTuple{string, string}})"/>, from configuration keys as in appsettings.json.</summary>
    public static ProcessorProcess Start(IEnumerable<KeyValuePair<string, string?>> settings) =>
        Start(settings.Select(s => (s.Key.Replace(":", "__", StringComparison.Ordinal), s.Value ?? "")));

    /// <summary>Starts exactly what <paramref name="start"/> says; its output is redirected and collected here.</summary>
    public static ProcessorProcess Start(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = new Process { StartInfo = start };
        var started = new ProcessorProcess(process);
        process.OutputDataReceived += (_, line) => started.Collect(started._output, line.Data);
        process.ErrorDataReceived += (_, line) => started.Collect(started._error, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Runs the processor until it stops by itself.</summary>
    public static async Task<ProcessorExit> RunAsync(params (string Name, string Value)[] environment)
    {
        using var process = Start(environment);
        return await process.WaitForExitAsync();
    }

    public Task WaitForOutputAsync(string text, TimeSpan timeout) =>
        WaitUntilAsync(() => _output.Any(line => line.Contains(text, StringComparison.Ordinal)), $"'{text}' written", timeout);

    /// <summary>Polls <paramref name="condition"/>; fails with the process's last output if it exits first or the time runs out.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string description, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (_process.HasExited) Assert.Fail($"The processor process exited (code {_process.ExitCode}) before {description}. {Describe()}");
            if (clock.Elapsed > timeout) Assert.Fail($"Waited {timeout} for {description} in vain. {Describe()}");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGTERM, as Kubernetes sends to stop a pod.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGKILL: the process gets no chance to commit, abort or say goodbye.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>Waits for the process to end by itself; kills it and fails when it has not within <paramref name="timeout"/>.</summary>
    public async Task<ProcessorExit> WaitForExitAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultExitTimeout;
        using var cancellation = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            Assert.Fail($"The processor did not exit within {limit}. {Describe()}");
        }
        // WaitForExit without a timeout also waits for the redirected streams to end.
        _process.WaitForExit();
        return new ProcessorExit(_process.ExitCode, Output, string.Join(Environment.NewLine, _error));
    }

    public string Describe() =>
        $"Output of the processor process:{Environment.NewLine}{string.Join(Environment.NewLine, _both.TakeLast(ShownOutputLines))}";

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    private void Collect(ConcurrentQueue<string> stream, string? line)
    {
        if (line is null) return;
        stream.Enqueue(line);
        _both.Enqueue(line);
    }

    private static bool IsSetting(string name) =>
        name.Contains("__", StringComparison.Ordinal)
        || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase);

    /// <summary>The dotnet host that runs the tests, whatever dotnet PATH finds.</summary>
    public static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}
