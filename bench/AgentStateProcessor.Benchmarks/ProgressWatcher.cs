using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// Follows the processor's progress topic (key <c>topic:partition</c>, value the next offset to process,
/// written in each commit, read read_committed): the committed position of every source partition, from
/// outside the processor, and when every input partition's progress reached given end offsets.
/// </summary>
internal sealed class ProgressWatcher : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly string _inputTopic;
    private readonly long[]? _endOffsets;
    private readonly ConcurrentDictionary<string, long> _positions = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _reachedEndAt;

    public ProgressWatcher(string bootstrapServers, string progressTopic, string inputTopic, long[]? endOffsets = null)
    {
        _inputTopic = inputTopic;
        _endOffsets = endOffsets;
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = "benchmark-progress-watcher",
            EnableAutoCommit = false,
            // Only progress of committed transactions counts as committed.
            IsolationLevel = IsolationLevel.ReadCommitted,
        }).Build();
        // The progress topic has one partition; assigned, not subscribed, so no group join delays it.
        _consumer.Assign(new TopicPartitionOffset(progressTopic, 0, Offset.Beginning));
        _thread = new Thread(Follow) { IsBackground = true, Name = "progress-watcher" };
        _thread.Start();
    }

    /// <summary>The Stopwatch timestamp at which the last input partition's progress reached its end; null until then.</summary>
    public long? ReachedEndAt => Interlocked.Read(ref _reachedEndAt) is var at and > 0 ? at : null;

    /// <summary>The committed position (next offset to process) of each partition of <paramref name="topic"/>; 0 where none was committed.</summary>
    public long[] Positions(string topic, int partitions) =>
        Enumerable.Range(0, partitions).Select(p => _positions.GetValueOrDefault($"{topic}:{p}")).ToArray();

    private void Follow()
    {
        while (!_stop.IsCancellationRequested)
        {
            var result = _consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (result is null || result.IsPartitionEOF || result.Message.Key is null || result.Message.Value is null) continue;
            if (!long.TryParse(Encoding.UTF8.GetString(result.Message.Value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var next)) continue;
            _positions.AddOrUpdate(Encoding.UTF8.GetString(result.Message.Key), next, (_, known) => Math.Max(known, next));
            if (_endOffsets is not null && Interlocked.Read(ref _reachedEndAt) == 0
                && Positions(_inputTopic, _endOffsets.Length).AsSpan().SequenceEqual(_endOffsets))
            {
                Interlocked.Exchange(ref _reachedEndAt, Stopwatch.GetTimestamp());
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread.Join();
        _consumer.Close();
        _consumer.Dispose();
        _stop.Dispose();
    }
}
