using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AgentStateProcessor.IntegrationTests.Infrastructure;

public sealed record CapturedLogEntry(DateTimeOffset Time, LogLevel Level, string Category, string Message, Exception? Exception)
{
    public override string ToString() =>
        $"{Time:HH:mm:ss.fff} {Level} {Category}: {Message}{(Exception is null ? "" : $" [{Exception.GetType().Name}: {Exception.Message}]")}";
}

/// <summary>
/// Keeps every log entry of a host in memory, so a test can look at what the host said (which
/// partitions it was assigned, why it stopped) and show it when a wait times out.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();

    public IReadOnlyList<CapturedLogEntry> Entries => [.. _entries];

    /// <summary>The last <paramref name="count"/> entries at Information or above, one per line.</summary>
    public string Tail(int count = 25) =>
        string.Join(Environment.NewLine, Entries.Where(e => e.Level >= LogLevel.Information).TakeLast(count));

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) entries.Enqueue(new CapturedLogEntry(DateTimeOffset.UtcNow, logLevel, category, formatter(state, exception), exception));
        }
    }
}
