using System.Diagnostics.Metrics;
using Prometheus;

namespace AgentStateProcessor.Metrics;

/// <summary>
/// The Prometheus registry /metrics serves: this process's <see cref="ProcessorInstruments"/> through
/// prometheus-net's meter adapter, plus the process and .NET runtime basics. A registry of its own
/// per host, so two hosts in one process (tests) never mix their series.
/// </summary>
internal sealed class PrometheusExport : IDisposable
{
    // Gauges forget a series nobody reported for this long (the lag of a partition this instance
    // lost); observable instruments report at every scrape, so a live series never gets that old.
    private static readonly TimeSpan ObservedExpiry = TimeSpan.FromMinutes(2);
    // Histograms are recorded when things happen, and forgetting one resets it: the longest the adapter allows.
    private static readonly TimeSpan RecordedExpiry = TimeSpan.FromDays(1);

    private readonly IDisposable[] _adapters;

    public PrometheusExport(ProcessorInstruments instruments)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        _adapters =
        [
            Adapter(Registry, instruments, ObservedExpiry, instrument => instrument.IsObservable),
            Adapter(Registry, instruments, RecordedExpiry, instrument => !instrument.IsObservable),
        ];
    }

    private static IDisposable Adapter(CollectorRegistry registry, ProcessorInstruments instruments, TimeSpan expiry, Func<Instrument, bool> which) =>
        MeterAdapter.StartListening(new MeterAdapterOptions
        {
            // Both, or the adapter writes to (or observes before collecting) prometheus-net's static default registry.
            Registry = registry,
            MetricFactory = Prometheus.Metrics.WithCustomRegistry(registry),
            InstrumentFilterPredicate = instrument => ReferenceEquals(instrument.Meter, instruments.Meter) && which(instrument),
            ResolveHistogramBuckets = instrument => ProcessorInstruments.BucketsOf(instrument.Name),
            MetricsExpireAfter = expiry,
        });

    public CollectorRegistry Registry { get; }

    public void Dispose()
    {
        foreach (var adapter in _adapters) adapter.Dispose();
    }
}
