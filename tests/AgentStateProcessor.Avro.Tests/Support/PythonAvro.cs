using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AgentStateProcessor.Avro.Tests.Support;

/// <summary>Runs the python3-avro oracle (Python/avro_oracle.py) under Debian's /usr/bin/python3.</summary>
internal static class PythonAvro
{
    public const string Interpreter = "/usr/bin/python3";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Fails, never skips, when the oracle is missing: these tests are the codec's proof.</summary>
    public static void EnsureAvailable()
    {
        var (exitCode, _, error) = Run(["-c", "import avro.schema, avro.io; print(avro.__version__)"]);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"The Avro cross-check needs Apache Avro for Debian's Python: run `apt-get install python3-avro` " +
                $"({Interpreter} -c \"import avro\" failed with exit code {exitCode}: {error.Trim()})");
        }
    }

    /// <summary>Sends all cases to one python process and returns its results document.</summary>
    public static JsonNode RunOracle(JsonObject cases)
    {
        EnsureAvailable();
        var workDirectory = Directory.CreateTempSubdirectory("avro-oracle-");
        try
        {
            var casesPath = Path.Combine(workDirectory.FullName, "cases.json");
            var resultsPath = Path.Combine(workDirectory.FullName, "results.json");
            File.WriteAllText(casesPath, cases.ToJsonString());
            var script = Path.Combine(AppContext.BaseDirectory, "Python", "avro_oracle.py");
            var (exitCode, output, error) = Run([script, casesPath, resultsPath]);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"The python3-avro oracle failed (exit code {exitCode}):\n{error}\n{output}");
            }
            return JsonNode.Parse(File.ReadAllText(resultsPath))
                ?? throw new InvalidOperationException("The python3-avro oracle wrote no results.");
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }

    private static (int ExitCode, string Output, string Error) Run(IReadOnlyList<string> arguments)
    {
        var startInfo = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        // Debian's python must not pick up a pyenv or virtualenv environment from the caller.
        startInfo.Environment.Remove("PYTHONPATH");
        startInfo.Environment.Remove("PYTHONHOME");

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {Interpreter}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, "", $"{Interpreter} could not be started: {ex.Message}");
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

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
