using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AgentStateProcessor.Processing.Tests.Support;

/// <summary>Runs Python/snapshot_oracle.py under Debian's /usr/bin/python3, which has python3-avro.</summary>
internal static class PythonAvro
{
    private const string Interpreter = "/usr/bin/python3";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Sends every case to one python process; fails (never skips) when python3-avro is missing.</summary>
    public static JsonNode RunSnapshotOracle(JsonObject cases)
    {
        var (probeExit, _, probeError) = Run(["-c", "import avro.schema, avro.io"]);
        if (probeExit != 0)
        {
            throw new InvalidOperationException(
                $"The snapshot cross-check needs Apache Avro for Debian's Python: run `apt-get install python3-avro` " +
                $"({Interpreter} -c \"import avro\" failed with exit code {probeExit}: {probeError.Trim()})");
        }

        var work = Directory.CreateTempSubdirectory("snapshot-oracle-");
        try
        {
            var casesPath = Path.Combine(work.FullName, "cases.json");
            var resultsPath = Path.Combine(work.FullName, "results.json");
            File.WriteAllText(casesPath, cases.ToJsonString());
            var script = Path.Combine(AppContext.BaseDirectory, "Python", "snapshot_oracle.py");
            var (exit, output, error) = Run([script, casesPath, resultsPath]);
            if (exit != 0) throw new InvalidOperationException($"snapshot_oracle.py failed (exit code {exit}):\n{error}\n{output}");
            return JsonNode.Parse(File.ReadAllText(resultsPath)) ?? throw new InvalidOperationException("snapshot_oracle.py wrote no results.");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static (int ExitCode, string Output, string Error) Run(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Debian's python must not see a pyenv or virtualenv of the caller.
        start.Environment.Remove("PYTHONPATH");
        start.Environment.Remove("PYTHONHOME");

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{Interpreter} did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, "", $"{Interpreter} could not be started: {e.Message}");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{Interpreter} did not finish within {Timeout}.");
            }
            return (process.ExitCode, output.Result, error.Result);
        }
    }
}
