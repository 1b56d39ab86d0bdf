using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Hosting;
using AgentStateProcessor.Kafka;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// The embedded default's mock cluster in a process of its own (the <c>mock-cluster</c> subcommand), so that a
/// soak measures the processor's memory apart from the mock brokers' logs. The parent reads the bootstrap servers
/// from the child's first line of output and holds its standard input open: the child ends when that closes,
/// which also happens when the parent dies on any path.
/// </summary>
internal sealed class MockClusterProcess : IDisposable
{
    private readonly Process _process;
    private int _disposed;

    private MockClusterProcess(Process process, string bootstrapServers)
    {
        _process = process;
        BootstrapServers = bootstrapServers;
        Id = process.Id;
    }

    public string BootstrapServers { get; }

    public int Id { get; }

    /// <summary>Starts the child with the same runtime and benchmark assembly as this process and waits for its bootstrap servers.</summary>
    public static MockClusterProcess Start(int brokers, int partitions)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process's executable is unknown"),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Started through `dotnet bench.dll` the child needs the dll; through the apphost (as `dotnet run` starts it) it does not.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()?.Location is { Length: > 0 } dll
                ? dll
                : throw new InvalidOperationException("the benchmark assembly's location is unknown"));
        }
        foreach (var argument in new[] { "mock-cluster", "--brokers", brokers.ToString(CultureInfo.InvariantCulture), "--partitions", partitions.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        try
        {
            var line = process.StandardOutput.ReadLine();
            if (string.IsNullOrWhiteSpace(line))
            {
                throw new InvalidOperationException(process.WaitForExit(TimeSpan.FromSeconds(5))
                    ? $"the mock cluster process ended with exit code {process.ExitCode} before naming its bootstrap servers"
                    : "the mock cluster process closed its output without naming its bootstrap servers");
            }
            return new MockClusterProcess(process, line.Trim());
        }
        catch
        {
            Stop(process);
            throw;
        }
    }

    /// <summary>
    /// Resident bytes (<c>VmRSS</c>), the anonymous part of them (<c>RssAnon</c>) and CPU time of the child, read from
    /// /proc/&lt;pid&gt; at each call; NaN and zero once it is gone.
    /// </summary>
    public (double Resident, double AnonymousResident, TimeSpan Cpu) Measure() =>
        (BenchmarkSupport.StatusBytes("VmRSS:", Id), BenchmarkSupport.AnonymousResidentBytes(Id), BenchmarkSupport.ProcessCpu(Id) ?? TimeSpan.Zero);

    /// <summary>Closes the child's standard input (its signal to stop), gives it a few seconds, then kills it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Stop(_process);
    }

    private static void Stop(Process process)
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromSeconds(5))) process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException)
        {
            // already gone
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>
    /// The child: starts the mock brokers with the embedded default's topics (names from the same configuration sources the
    /// processor's host reads: environment and appsettings.json), prints the bootstrap servers as its one line of output,
    /// and runs until its standard input closes or it gets SIGTERM. SIGINT, which a Ctrl+C at the terminal sends to the
    /// parent as well, it leaves to the parent, which closes the input once its processor has stopped using the brokers.
    /// </summary>
    public static int RunChild(SubcommandOptions options)
    {
        var defaults = new EmbeddedOptions();
        var brokers = options.PositiveInt("--brokers", defaults.Brokers);
        var partitions = options.PositiveInt("--partitions", defaults.Partitions);
        var configuration = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] }).Configuration;
        var topics = configuration.GetSection(TopicOptions.SectionName).Get<TopicOptions>() ?? new TopicOptions();

        using var stop = new ManualResetEventSlim();
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Set();
        });
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        using var cluster = MockKafkaCluster.Start(brokers);
        HostingExtensions.CreateProcessorTopics(cluster, topics, partitions);
        Console.Out.WriteLine(cluster.BootstrapServers);
        Console.Out.Flush();

        var input = new Thread(() =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (stdin.Read(buffer, 0, buffer.Length) > 0)
            {
            }
            stop.Set();
        })
        { IsBackground = true, Name = "stdin watch" };
        input.Start();
        stop.Wait();
        return 0;
    }
}
