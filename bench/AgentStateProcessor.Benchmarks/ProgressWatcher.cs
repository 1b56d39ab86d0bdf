using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confluent.Kafka;

namespace AgentStateProcessor.Benchmarks;

/// <summary>
/// Follows the processor's progress topic (key <c>topic:partition</c>, value the next offset to process,
/// written in each commit) and notes when every input partition's progress reached its end offset.
/// </summary>
internal sealed class ProgressWatcher : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly string _inputTopic;
    private readonly long[] _endOffsets;
    private readonly long[] _progress;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private long _reachedEndAt;

    public ProgressWatcher(string bootstrapServers, string progressTopic, string inputTopic, long[] endOffsets)
    {
        _inputTopic = inputTopic;
        _endOffsets = endOffsets;
        _progress = new long[endOffsets.Length];
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

    private void Follow()
    {
        var prefix = _inputTopic + ":";
        while (!_stop.IsCancellationRequested)
        {
            var result = _consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (result is null || result.IsPartitionEOF || result.Message.Key is null || result.Message.Value is null) continue;
            var key = Encoding.UTF8.GetString(result.Message.Key);
            if (!key.StartsWith(prefix, StringComparison.Ordinal)
                || !int.TryParse(key.AsSpan(prefix.Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out var partition)
                || partition < 0 || partition >= _progress.Length
                || !long.TryParse(Encoding.UTF8.GetString(result.Message.Value), NumberStyles.Integer, CultureInfo.InvariantCulture, out var next))
            {
                continue;
            }
            _progress[partition] = Math.Max(_progress[partition], next);
            if (Interlocked.Read(ref _reachedEndAt) == 0 && _progress.AsSpan().SequenceEqual(_endOffsets))
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
