using System.Text.Json;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Processing;
using AgentStateProcessor.Processing.Changes;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Commands;

/// <summary>
/// <c>replay FILE [--quiet] [--max-message-bytes N] [--changes CHANGES]</c>: validates and folds a
/// JSON-lines file of records, printing one line per record to standard error, then the final agent
/// and DN snapshots and the totals as JSON to standard output. With <c>--changes</c>, the agent state
/// changes (the records the pipeline writes to its change topic) go to the file CHANGES as JSON
/// lines, in input order. Exit code 0 when the file was read, 2 on
/// a usage error or an unreadable file (invalid records are results, not failures; a line that
/// cannot be read as a record is reported with its number and reason, counted, and skipped).
/// </summary>
internal static class ReplayCommand
{
    public const int DefaultMaxMessageBytes = 1_000_000;

    public static int Run(string[] args, TextWriter output, TextWriter log)
    {
        string? path = null;
        var quiet = false;
        var maxMessageBytes = DefaultMaxMessageBytes;
        string? changesPath = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quiet": quiet = true; break;
                case "--max-message-bytes" when i + 1 < args.Length && int.TryParse(args[i + 1], out var max) && max > 0:
                    maxMessageBytes = max;
                    i++;
                    break;
                case "--changes" when i + 1 < args.Length && !string.IsNullOrWhiteSpace(args[i + 1]):
                    changesPath = args[++i];
                    break;
                case var arg when !arg.StartsWith("--", StringComparison.Ordinal) && path is null: path = arg; break;
                default: return Usage(log, $"unexpected argument '{args[i]}'");
            }
        }
        if (path is null) return Usage(log, "no input file given");
        if (!File.Exists(path)) return Usage(log, $"input file '{path}' does not exist");

        var processor = new LocalProcessor(new EventIntake(EventSchemaSet.LoadEmbedded(), maxMessageBytes));
        long unreadableLines = 0;
        try
        {
            using var changes = changesPath is null ? null : new StreamWriter(changesPath, append: false, new System.Text.UTF8Encoding(false));
            foreach (var line in ReplayFile.Read(path))
            {
                if (line.Record is not { } record)
                {
                    // Always shown, --quiet or not: the line is not in the totals of any outcome.
                    unreadableLines++;
                    log.WriteLine($"line {line.Number}: unreadable: {line.Problem}");
                    continue;
                }
                var result = processor.Process(record);
                if (!quiet) log.WriteLine(Describe(record, result));
                if (changes is not null && result.Change is { } change) WriteChange(changes, change);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An IOException does not always say which of the two files failed.
            log.WriteLine(changesPath is null
                ? $"error: cannot read '{path}': {e.Message}"
                : $"error: cannot read '{path}' or write the changes to '{changesPath}': {e.Message}");
            return 2;
        }

        WriteResult(output, processor, unreadableLines);
        return 0;
    }

    private static string Describe(InputRecord record, RecordResult result)
    {
        var name = result.Event?.Name ?? "-";
        var detail = result.Intake?.Reason is { } reason ? $" [{result.Intake.Code}] {reason}" : "";
        return $"line {record.Position.Offset + 1}: {name} {result.Outcome}{detail}";
    }

    /// <summary>One JSON line of the change's Avro record, in the plain form of the snapshots printed at the end.</summary>
    private static void WriteChange(TextWriter changes, AgentStateChange change)
    {
        var record = AgentStateChangeMapper.ToRecord(change);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream)) PlainJson.Write(json, record.Schema, record);
        changes.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteResult(TextWriter output, LocalProcessor processor, long unreadableLines)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartArray("agents");
            foreach (var (_, agent) in processor.Agents.All.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                var record = SnapshotMapper.ToRecord(agent);
                PlainJson.Write(json, record.Schema, record);
            }
            json.WriteEndArray();
            json.WriteStartArray("dns");
            foreach (var (_, dn) in processor.Dns.All.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                var record = SnapshotMapper.ToRecord(dn);
                PlainJson.Write(json, record.Schema, record);
            }
            json.WriteEndArray();
            WriteTotals(json, processor.Totals, unreadableLines);
            json.WriteEndObject();
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteTotals(Utf8JsonWriter json, ProcessingTotals totals, long unreadableLines)
    {
        json.WriteStartObject("totals");
        json.WriteNumber("records", totals.Records);
        json.WriteNumber("applied", totals.Applied);
        json.WriteNumber("duplicates", totals.Duplicates);
        json.WriteNumber("noStateRule", totals.NoStateRule);
        json.WriteNumber("skipped", totals.Skipped);
        json.WriteNumber("invalid", totals.DeadLettered);
        json.WriteNumber("unlistedAttributes", totals.UnlistedAttributes);
        json.WriteNumber("unreadableLines", unreadableLines);
        WriteCounts(json, "skippedByReason", totals.SkippedByCode);
        WriteCounts(json, "invalidByReason", totals.DeadLettersByCode);
        json.WriteEndObject();
    }

    private static void WriteCounts(Utf8JsonWriter json, string name, SortedDictionary<string, long> counts)
    {
        json.WriteStartObject(name);
        foreach (var (code, count) in counts) json.WriteNumber(code, count);
        json.WriteEndObject();
    }

    private static int Usage(TextWriter log, string problem)
    {
        log.WriteLine($"error: {problem}");
        log.WriteLine("usage: AgentStateProcessor replay FILE [--quiet] [--max-message-bytes N] [--changes CHANGES]");
        return 2;
    }
}
