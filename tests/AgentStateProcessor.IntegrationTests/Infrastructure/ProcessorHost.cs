using System.Diagnostics;
using AgentStateProcessor.Hosting;
using AgentStateProcessor.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.IntegrationTests.Infrastructure;

/// <summary>
/// The real processor host (<c>ProcessorApp.Build</c>, HTTP surface included) with in-memory
/// configuration, run inside the test: start it, wait for a condition on its
/// <see cref="PipelineMetrics"/>, stop it gracefully. A wait fails at once, with the host's own last
/// words, when the processor service dies. Its HTTP port is a free one unless Http:Port is given.
/// </summary>
internal sealed class ProcessorHost : IAsyncDisposable
{
    public static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(40);

    private readonly WebApplication _host;
    private bool _started;
    private bool _stopped;

    private ProcessorHost(WebApplication host, CapturedLogs logs)
    {
        _host = host;
        Logs = logs;
    }

    public PipelineMetrics Metrics => _host.Services.GetRequiredService<PipelineMetrics>();

    public CapturedLogs Logs { get; }

    /// <summary>The processor service's run; completes when it stops, faulted when it failed.</summary>
    public Task? ServiceTask => _host.Services.GetServices<IHostedService>().OfType<ProcessorService>().Single().ExecuteTask;

    /// <summary>Where the started host's HTTP surface listens, on the loopback interface.</summary>
    public Uri HttpAddress
    {
        get
        {
            var bound = _host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri($"http://127.0.0.1:{new Uri(bound.Replace("[::]", "localhost", StringComparison.Ordinal)).Port}/");
        }
    }

    public bool IsStopping => _host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested;

    /// <summary>Builds the host the way Program.cs does, with <paramref name="settings"/> as the only configuration that matters.</summary>
    public static ProcessorHost Build(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = "IntegrationTest" });
        builder.Configuration.AddInMemoryCollection([new("Http:Port", "0")]);
        builder.Configuration.AddInMemoryCollection(settings);
        var logs = new CapturedLogs();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        return new ProcessorHost(ProcessorApp.Build(builder), logs);
    }

    /// <summary>Starts the host and waits until its partitions are assigned and restored.</summary>
    public static async Task<ProcessorHost> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings, TimeSpan? readyTimeout = null)
    {
        var host = Build(settings);
        try
        {
            await host.StartAsync();
            await host.WaitUntilAsync(metrics => metrics.Ready, "partitions assigned and restored", readyTimeout);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public async Task StartAsync()
    {
        await _host.StartAsync();
        // Only a started host can be stopped: Host.StopAsync after a failed start throws.
        _started = true;
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming it and quoting the host's log otherwise.</summary>
    public async Task WaitUntilAsync(Func<PipelineMetrics, bool> condition, string description, TimeSpan? timeout = null, bool failWhenServiceEnds = true)
    {
        var limit = timeout ?? DefaultWaitTimeout;
        var clock = Stopwatch.StartNew();
        while (!condition(Metrics))
        {
            if (failWhenServiceEnds && ServiceTask is { IsCompleted: true } service)
            {
                Assert.Fail($"The processor service ended ({service.Status}: {Metrics.Failure?.Message}) " +
                    $"before '{description}'. {Describe()}");
            }
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"Waited {limit} for '{description}' in vain. {Describe()}");
            }
            await Task.Delay(25);
        }
    }

    /// <summary>
    /// Waits until this host consumed <paramref name="inputRecords"/> input records, the repartition
    /// records it wrote for them, and <paramref name="earlierRepartitionRecords"/> repartition records
    /// that an earlier host wrote and this one is expected to read again.
    /// </summary>
    /// <remarks>
    /// Consumed is read before Repartitioned: the repartition records consumed by then cannot
    /// outnumber those written by the later read, so the sum reaching the target means every input
    /// record was consumed (which fixes Repartitioned) and every repartition record too.
    /// </remarks>
    public Task WaitUntilConsumedAsync(long inputRecords, long earlierRepartitionRecords = 0, TimeSpan? timeout = null) =>
        WaitUntilAsync(metrics =>
        {
            var consumed = metrics.Consumed;
            return consumed >= inputRecords + earlierRepartitionRecords + metrics.Repartitioned;
        }, $"{inputRecords} input records, {earlierRepartitionRecords} earlier repartition records and the repartition records of this host consumed", timeout);

    /// <summary>Stops gracefully: the stream thread commits what it did and leaves the group.</summary>
    public async Task StopAsync()
    {
        if (!_started || _stopped) return;
        _stopped = true;
        using var timeout = new CancellationTokenSource(StopTimeout);
        await _host.StopAsync(timeout.Token);
        if (Metrics.Failure is { } failure)
        {
            Assert.Fail($"The processor service failed: {failure}. {Describe()}");
        }
    }

    /// <summary>
    /// Starts a host that is expected not to run, and returns why it did not: the start-up
    /// exception (options validation) or the processor service's failure (topology, connection).
    /// </summary>
    public static async Task<Exception> StartExpectingFailureAsync(IEnumerable<KeyValuePair<string, string?>> settings, TimeSpan? timeout = null)
    {
        var (failure, _) = await StartExpectingFailureWithLogsAsync(settings, timeout);
        return failure;
    }

    /// <summary><see cref="StartExpectingFailureAsync"/>, with what the host logged until it stopped.</summary>
    public static async Task<(Exception Failure, CapturedLogs Logs)> StartExpectingFailureWithLogsAsync(IEnumerable<KeyValuePair<string, string?>> settings, TimeSpan? timeout = null)
    {
        await using var host = Build(settings);
        try
        {
            await host.StartAsync();
        }
        catch (Exception e)
        {
            return (e, host.Logs);
        }
        var service = host.ServiceTask ?? throw new InvalidOperationException("the processor service was not started");
        var finished = await Task.WhenAny(service, Task.Delay(timeout ?? DefaultWaitTimeout));
        if (finished != service || host.Metrics.Failure is null)
        {
            Assert.Fail($"The host was expected to fail but its processor service is {service.Status}. {host.Describe()}");
        }
        // A failed service must take the host down with it, so a supervisor restarts the process.
        await host.WaitUntilAsync(_ => host.IsStopping, "the host stopping after its processor service failed", TimeSpan.FromSeconds(5), failWhenServiceEnds: false);
        return (host.Metrics.Failure!, host.Logs);
    }

    public string Describe() =>
        $"Metrics: consumed {Metrics.Consumed}, agent applied {Metrics.AgentApplied}, DN applied {Metrics.DnApplied}, " +
        $"repartitioned {Metrics.Repartitioned}, duplicates {Metrics.Duplicates}, skipped {Metrics.Skipped}, " +
        $"dead letters {Metrics.DeadLettered}, commits {Metrics.Commits}, ready {Metrics.Ready}. Log:{Environment.NewLine}{Logs.Tail()}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_started && !_stopped)
            {
                _stopped = true;
                using var timeout = new CancellationTokenSource(StopTimeout);
                await _host.StopAsync(timeout.Token);
            }
        }
        finally
        {
            await _host.DisposeAsync();
        }
    }
}
