using System.Text.Json;
using AgentStateProcessor.Processing;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Commands;

/// <summary>
/// <c>replay FILE [--quiet] [--max-message-bytes N]</c>: validates and folds a JSON-lines file
/// of records, printing one line per record to standard error, then the final agent and DN
/// snapshots and the totals as JSON to standard output. Exit code 0 when the file was read, 2 on
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
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quiet": quiet = true; break;
                case "--max-message-bytes" when i + 1 < args.Length && int.TryParse(args[i + 1], out var max) && max > 0:
                    maxMessageBytes = max;
                    i++;
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
            }
        }
        catch (IOException e)
        {
            log.WriteLine($"error: cannot read '{path}': {e.Message}");
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
        log.WriteLine("usage: AgentStateProcessor replay FILE [--quiet] [--max-message-bytes N]");
        return 2;
    }
}
