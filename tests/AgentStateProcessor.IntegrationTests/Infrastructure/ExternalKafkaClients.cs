using System.Diagnostics;
using System.Text;

namespace AgentStateProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// Kafka clients that share no code with ours, run as processes: Debian's kcat (librdkafka's C client)
/// and kafka-python (pure Python). A missing tool or a failed run throws with the tool's stderr: tests
/// that need them never skip silently.
/// </summary>
public static class ExternalKafkaClients
{
    public const string KcatPath = "/usr/bin/kcat";

    // Debian's Python: the pyenv python3 first on PATH does not see python3-kafka.
    public const string DebianPythonPath = "/usr/bin/python3";

    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Produces "key:value" lines with kcat (<c>-K:</c>); each line becomes one record.</summary>
    public static void ProduceWithKcat(string bootstrapServers, string topic, IEnumerable<string> keyColonValueLines) =>
        Run(KcatPath, "apt-get install -y kcat",
            ["-P", "-b", bootstrapServers, "-t", topic, "-K:"],
            string.Join('\n', keyColonValueLines) + "\n");

    /// <summary>Runs a kafka-python script with <c>sys.argv[1]</c> the bootstrap servers; returns its stdout.</summary>
    public static string RunKafkaPython(string script, params string[] arguments) =>
        Run(DebianPythonPath, "apt-get install -y python3 python3-kafka",
            ["-c", script, .. arguments], standardInput: null);

    public static string Run(string fileName, string installHint, IReadOnlyList<string> arguments, string? standardInput)
    {
        if (!File.Exists(fileName))
        {
            throw new InvalidOperationException($"{fileName} is missing; install it with `{installHint}`.");
        }

        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"{fileName} did not start.");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }

        if (!process.WaitForExit(ProcessTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{fileName} {string.Join(' ', arguments)} did not finish within {ProcessTimeout}; stderr: {standardError.Result}");
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{fileName} exited with code {process.ExitCode}; stderr:\n{standardError.Result}\nstdout:\n{standardOutput.Result}");
        }

        return standardOutput.Result;
    }
}
