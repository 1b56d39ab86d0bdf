using AgentStateProcessor.Kafka;
using Confluent.Kafka;

namespace AgentStateProcessor.IntegrationTests.Pipeline;

/// <summary>The pieces of the Kafka edge that decide without a cluster: task lifecycle, skip-ahead detection, freshness windows.</summary>
public sealed class StreamTaskTests
{
    private sealed class IdleTask() : StreamTask(TaskKind.Agent, new TopicPartition("in", 0), "agents", start: 0, positionStored: false)
    {
        protected override void ProcessRecord(ConsumeResult<byte[]?, byte[]?> record) { }
        public override void Restore(ConsumeResult<byte[]?, byte[]?> snapshot) { }
        protected override int WriteSnapshots(RecordCollector collector) => 0;
    }

    private static IdleTask TaskIn(params TaskState[] path)
    {
        var task = new IdleTask();
        foreach (var state in path) task.TransitionTo(state);
        return task;
    }

    [Fact]
    public void A_task_goes_from_created_through_restoring_and_running_to_suspended_and_closed()
    {
        var task = TaskIn(TaskState.Restoring, TaskState.Running, TaskState.Suspended, TaskState.Closed);

        Assert.Equal(TaskState.Closed, task.State);
    }

    [Theory]
    [InlineData("", "Running")]
    [InlineData("", "Suspended")]
    [InlineData("Restoring", "Created")]
    [InlineData("Restoring Running", "Closed")]
    [InlineData("Restoring Running", "Restoring")]
    [InlineData("Restoring Running", "Running")]
    [InlineData("Restoring Closed", "Running")]
    [InlineData("Restoring Closed", "Closed")]
    public void An_invalid_transition_throws_and_leaves_the_state(string path, string nextName)
    {
        var task = TaskIn(path.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Enum.Parse<TaskState>).ToArray());
        var next = Enum.Parse<TaskState>(nextName);
        var before = task.State;

        var error = Assert.Throws<InvalidOperationException>(() => task.TransitionTo(next));

        Assert.Equal(before, task.State);
        Assert.Contains($"from {before} to {next}", error.Message);
    }

    [Fact]
    public void Only_a_running_task_processes_records()
    {
        var record = new ConsumeResult<byte[]?, byte[]?>
        {
            TopicPartitionOffset = new TopicPartitionOffset("in", 0, 5),
            Message = new Message<byte[]?, byte[]?>(),
        };
        var restoring = TaskIn(TaskState.Restoring);
        var running = TaskIn(TaskState.Restoring, TaskState.Running);

        Assert.Throws<InvalidOperationException>(() => restoring.Process(record));
        running.Process(record);

        Assert.Equal((6L, true), (running.NextOffset, running.PositionKnown));
    }

    [Theory]
    [InlineData(100, 100, 0, 0)] // the next record, as expected
    [InlineData(100, 101, 0, 0)] // a transaction marker in between
    [InlineData(100, 160, 50, 0)] // aborted records or compaction: the gap is inside the retained log
    [InlineData(100, 100, 100, 0)] // the log starts exactly where we are
    [InlineData(100, 250, 250, 150)] // retention deleted [100, 250): auto.offset.reset moved to the log start
    [InlineData(100, 900, 250, 800)] // reset to the end (auto.offset.reset=latest): everything in between is gone
    [InlineData(0, 4096, 4096, 4096)]
    [InlineData(100, 250, -1001, 0)] // log start unknown: no claim
    [InlineData(100, 90, 95, 0)] // a record before the position (re-delivery) is no jump
    public void A_jump_counts_as_skipped_ahead_only_past_the_log_start(long expected, long actual, long logStart, long skipped)
    {
        Assert.Equal(skipped, SkipAhead.RecordsSkipped(expected, actual, logStart));
    }

    [Fact]
    public void The_freshness_window_reports_nearest_rank_percentiles_of_its_recent_samples()
    {
        var window = new LatencyWindow(capacity: 100);
        Assert.Equal(0, window.Summary().Samples);

        window.AddRange(Enumerable.Range(1, 100).Select(i => (long)i).Reverse().ToList());
        Assert.Equal(new LatencySummary(100, 50, 99, 100), window.Summary());

        // 100 newer samples push all the old ones out of the window.
        window.AddRange(Enumerable.Repeat(7L, 100).ToList());
        Assert.Equal(new LatencySummary(100, 7, 7, 7), window.Summary());
    }
}
