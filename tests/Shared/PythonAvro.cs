using System.Diagnostics;
using System.Text.Json.Nodes;

namespace AgentStateProcessor.TestSupport;

/// <summary>
/// Debian's python3-avro (Apache Avro 1.11.1) under <c>/usr/bin/python3</c>: the implementation
/// independent of Apache.Avro for .NET that the committed schemas (parsing, canonical form,
/// fingerprints) and the snapshot bytes are checked against. Shared by the test projects (linked,
/// not referenced, so each stays a plain test project).
/// </summary>
internal static class PythonAvro
{
    public const string Interpreter = "/usr/bin/python3";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Fails, never skips, when python3-avro is missing: the cross-checks are the proof.</summary>
    public static void EnsureAvailable()
    {
        var (exitCode, _, error) = Run(["-c", "import avro.schema, avro.io"]);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"The Avro cross-check needs Apache Avro for Debian's Python: run `apt-get install python3-avro` " +
                $"({Interpreter} -c \"import avro\" failed with exit code {exitCode}: {error.Trim()})");
        }
    }

    /// <summary>
    /// Runs a script of the test output's Python folder as <c>script cases.json results.json</c>,
    /// all cases in one process, and returns the results document.
    /// </summary>
    public static JsonNode RunOracle(string scriptName, JsonObject cases)
    {
        EnsureAvailable();
        var workDirectory = Directory.CreateTempSubdirectory("avro-oracle-");
        try
        {
            var casesPath = Path.Combine(workDirectory.FullName, "cases.json");
            var resultsPath = Path.Combine(workDirectory.FullName, "results.json");
            File.WriteAllText(casesPath, cases.ToJsonString());
            var script = Path.Combine(AppContext.BaseDirectory, "Python", scriptName);
            var (exitCode, output, error) = Run([script, casesPath, resultsPath]);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"{scriptName} failed (exit code {exitCode}):\n{error}\n{output}");
            }
            return JsonNode.Parse(File.ReadAllText(resultsPath)) ?? throw new InvalidOperationException($"{scriptName} wrote no results.");
        }
        finally
        {
            workDirectory.Delete(recursive: true);
        }
    }

    public static (int ExitCode, string Output, string Error) Run(IReadOnlyList<string> arguments)
    {
        var startInfo = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);
        // Debian's python must not pick up a pyenv or virtualenv environment from the caller.
        startInfo.Environment.Remove("PYTHONPATH");
        startInfo.Environment.Remove("PYTHONHOME");

        Process process;
        try
        {
            process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {Interpreter}.");
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
