using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using AgentStateProcessor.Configuration;
using AgentStateProcessor.Hosting;
using AgentStateProcessor.Kafka;
using AgentStateProcessor.Simulation;
using Confluent.Kafka;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// The simulated contact center producing continuously into an input topic at a set rate (changeable while
/// it runs), on a thread of its own, with the simulator's producer settings. Optionally keeps, for every
/// record, the moment its produce was acknowledged: the broker appended it by then, so it stands for the
/// append time (later by one loopback round trip at most). The records are made on a second thread, ahead
/// of time, so that the paced thread only produces.
/// </summary>
internal sealed class PacedInput : IDisposable
{
    private readonly IProducer<byte[]?, byte[]> _producer;
    private readonly string _topic;
    private readonly ContactCenterSimulator _simulator;
    private readonly long[][]? _ackedAt;
    private readonly Thread _thread, _generator;
    private readonly BlockingCollection<Message<byte[]?, byte[]>> _ready = new(boundedCapacity: 50_000);
    private readonly CancellationTokenSource _stop = new();
    private double _rate;
    private long _produced;
    private Error? _failure;

    /// <param name="ackCapacity">Records per partition whose acknowledgement time is kept; 0 keeps none.</param>
    public PacedInput(string bootstrapServers, string topic, int agents, double rate, int ackCapacity = 0)
    {
        _topic = topic;
        _rate = rate;
        _simulator = new ContactCenterSimulator(SimulatedWorkload.Options(agents));
        _producer = new ProducerBuilder<byte[]?, byte[]>(KafkaClientConfigs.Simulator(new KafkaOptions { BootstrapServers = bootstrapServers })).Build();
        if (ackCapacity > 0) _ackedAt = Enumerable.Range(0, BenchmarkSupport.Partitions).Select(_ => new long[ackCapacity]).ToArray();
        _generator = new Thread(Generate) { IsBackground = true, Name = "input-generator" };
        _generator.Start();
        _thread = new Thread(Run) { IsBackground = true, Name = "paced-input" };
        _thread.Start();
    }

    /// <summary>Events per second from now on.</summary>
    public double Rate
    {
        get => Volatile.Read(ref _rate);
        set => Volatile.Write(ref _rate, value);
    }

    public long Produced => Interlocked.Read(ref _produced);

    /// <summary>The Stopwatch timestamp at which the record at this position was acknowledged; 0 if unknown.</summary>
    public long AckedAt(int partition, long offset) =>
        _ackedAt is not null && partition < _ackedAt.Length && offset < _ackedAt[partition].Length ? Volatile.Read(ref _ackedAt[partition][offset]) : 0;

    private void Generate()
    {
        try
        {
            foreach (var record in _simulator.Generate())
            {
                _ready.Add(new Message<byte[]?, byte[]>
                {
                    Key = record.Key is null ? null : Encoding.UTF8.GetBytes(record.Key),
                    Value = record.Value,
                    Timestamp = new Timestamp(record.Timestamp),
                }, _stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Run()
    {
        var rate = Rate;
        var pacer = new RatePacer(rate, TimeProvider.System);
        while (!_stop.IsCancellationRequested)
        {
            if (!_ready.TryTake(out var message, 100)) continue;
            _producer.ProduceWhenRoom(_topic, message, OnDelivery);
            Interlocked.Increment(ref _produced);
            if (Rate != rate)
            {
                rate = Rate;
                pacer = new RatePacer(rate, TimeProvider.System);
            }
            if (pacer.Next() is var wait && wait >= TimeSpan.FromMilliseconds(1)) _stop.Token.WaitHandle.WaitOne(wait);
        }
        _producer.Flush(TimeSpan.FromSeconds(30));
    }

    private void OnDelivery(DeliveryReport<byte[]?, byte[]> report)
    {
        if (report.Error.IsError)
        {
            _failure ??= report.Error;
            return;
        }
        var (partition, offset) = (report.Partition.Value, report.Offset.Value);
        if (_ackedAt is not null && offset < _ackedAt[partition].Length) Volatile.Write(ref _ackedAt[partition][offset], Stopwatch.GetTimestamp());
    }

    /// <summary>Stops producing and waits for what was produced to be acknowledged.</summary>
    public void Stop()
    {
        _stop.Cancel();
        _thread.Join();
        _generator.Join();
        if (_failure is not null) throw new KafkaException(_failure);
    }

    public void Dispose()
    {
        if (!_stop.IsCancellationRequested) Stop();
        _producer.Dispose();
        _ready.Dispose();
        _stop.Dispose();
    }
}
