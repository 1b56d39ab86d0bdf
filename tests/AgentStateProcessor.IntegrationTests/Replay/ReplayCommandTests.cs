using System.Globalization;
using System.Text.Json;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.TestSupport;

namespace AgentStateProcessor.IntegrationTests.Replay;

public sealed class ReplayCommandTests(ReplayFiles files) : IClassFixture<ReplayFiles>
{
    private static readonly string SampleFile = RepositoryRoot.PathOf("samples", "events.jsonl");

    private static long Total(JsonElement result, string name) => result.GetProperty("totals").GetProperty(name).GetInt64();

    private static void AssertEveryRecordCountedOnce(JsonElement result, int records)
    {
        Assert.Equal(records, Total(result, "records"));
        Assert.Equal(Total(result, "records"),
            Total(result, "applied") + Total(result, "duplicates") + Total(result, "noStateRule") + Total(result, "skipped") + Total(result, "invalid"));
        Assert.Equal(Total(result, "skipped"), result.GetProperty("totals").GetProperty("skippedByReason").EnumerateObject().Sum(p => p.Value.GetInt64()));
        Assert.Equal(Total(result, "invalid"), result.GetProperty("totals").GetProperty("invalidByReason").EnumerateObject().Sum(p => p.Value.GetInt64()));
    }

    private static JsonElement Agent(JsonElement result, string tenant, string agent) =>
        Assert.Single(result.GetProperty("agents").EnumerateArray(),
            a => a.GetProperty("tenantId").GetString() == tenant && a.GetProperty("agentId").GetString() == agent);

    private static JsonElement Dn(JsonElement result, string tenant, string dn) =>
        Assert.Single(result.GetProperty("dns").EnumerateArray(),
            d => d.GetProperty("tenantId").GetString() == tenant && d.GetProperty("dn").GetString() == dn);

    [Fact]
    public void The_sample_file_replays_with_every_record_counted_once_and_one_log_line_per_record()
    {
        var lines = File.ReadAllLines(SampleFile).Where(l => !string.IsNullOrWhiteSpace(l)).ToList();

        var run = ReplayRun.Of(SampleFile);
        var result = run.Result();

        Assert.Equal(["agents", "dns", "totals"], result.EnumerateObject().Select(p => p.Name));
        AssertEveryRecordCountedOnce(result, lines.Count);
        Assert.True(Total(result, "applied") > 0);
        Assert.True(Total(result, "invalid") > 0);
        Assert.True(Total(result, "skipped") > 0);
        Assert.Equal(lines.Count, run.LogLines.Length);
        Assert.All(run.LogLines, line => Assert.StartsWith("line ", line));
        Assert.NotEmpty(result.GetProperty("agents").EnumerateArray());
        Assert.NotEmpty(result.GetProperty("dns").EnumerateArray());
    }

    [Fact]
    public void The_sample_file_reports_the_dead_letter_codes_its_annotations_name()
    {
        var expectedCodes = File.ReadAllLines(SampleFile)
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.TryGetProperty("expect", out var e) && e.GetString()!.StartsWith("invalid:", StringComparison.Ordinal))
            .GroupBy(r => r.GetProperty("expect").GetString()!["invalid:".Length..])
            .ToDictionary(g => g.Key, g => (long)g.Count());

        var invalid = ReplayRun.Of(SampleFile).Result().GetProperty("totals").GetProperty("invalidByReason");

        Assert.NotEmpty(expectedCodes);
        Assert.Equal(expectedCodes.OrderBy(p => p.Key, StringComparer.Ordinal),
            invalid.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt64())));
    }

    [Fact]
    public void Running_twice_gives_identical_output()
    {
        var first = ReplayRun.Of(SampleFile);
        var second = ReplayRun.Of(SampleFile);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Output, second.Output);
        Assert.Equal(first.Log, second.Log);
    }

    [Fact]
    public void Quiet_writes_no_per_record_lines_and_the_same_result()
    {
        var loud = ReplayRun.Of(SampleFile);
        var quiet = ReplayRun.Of(SampleFile, "--quiet");

        Assert.Equal(0, quiet.ExitCode);
        Assert.Equal("", quiet.Log);
        Assert.Equal(loud.Output, quiet.Output);
    }

    [Fact]
    public void Changes_go_to_their_file_as_json_lines_one_per_agent_state_change_and_the_result_stays_the_same()
    {
        var changesPath = files.PathOf("sample-changes.jsonl");

        var run = ReplayRun.Of(SampleFile, "--quiet", "--changes", changesPath);

        Assert.Equal(ReplayRun.Of(SampleFile, "--quiet").Output, run.Output);
        var changes = File.ReadAllLines(changesPath).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        // The sample's three agents each log in, go Ready and NotReady in turn, and log out.
        Assert.Equal(17, changes.Count);
        Assert.Equal(3, changes.Count(c => c.GetProperty("previousSince").ValueKind == JsonValueKind.Null));
        Assert.Equal(3, changes.Count(c => c.GetProperty("state").GetString() == "LoggedOut"));
        var wrapUp = Assert.Single(changes, c => c.GetProperty("reasonCode").GetString() == "Wrapup");
        Assert.Equal(("tenant1", "agent42", "Ready", "NotReady", 194_750_000L, 18L),
            (wrapUp.GetProperty("tenantId").GetString(), wrapUp.GetProperty("agentId").GetString(), wrapUp.GetProperty("previousState").GetString(),
             wrapUp.GetProperty("state").GetString(), wrapUp.GetProperty("durationMicros").GetInt64(), wrapUp.GetProperty("source").GetProperty("offset").GetInt64()));
    }

    [Fact]
    public void A_changes_file_that_cannot_be_written_is_an_error_naming_it()
    {
        var changesPath = Path.Combine(files.PathOf("no-such-folder"), "changes.jsonl");

        var run = ReplayRun.Of(SampleFile, "--changes", changesPath);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(changesPath, run.Log);
    }

    [Fact]
    public void A_line_whose_strings_have_no_UTF8_form_is_reported_with_its_number_and_the_run_goes_on()
    {
        // An unpaired surrogate escape in value_raw or key cannot become bytes; inside a value object
        // the same escape is the record's own problem, a dead letter.
        var path = files.Write("surrogates.jsonl",
            """{"key":"t1:a1","value_raw":"{\"id\":\"\ud800\"}"}""",
            """{"key":"t1:\udc00","value":{"id":"EventAgentLogin","Server":"s","ThisDN":"5001","time":1795251600}}""",
            """{"key":"t1:a1","value":{"id":"EventAgentLogin","Server":"\ud800","ThisDN":"5001","time":1795251600}}""",
            """{"key":"t1:a1","value":{"id":"EventAgentLogin","Server":"s","ThisDN":"5001","time":1795251600}}""");

        var run = ReplayRun.Of(path);
        var result = run.Result();

        Assert.Equal(2, result.GetProperty("totals").GetProperty("unreadableLines").GetInt64());
        Assert.Equal(2, Total(result, "records"));
        Assert.Equal(1, Total(result, "applied"));
        Assert.Equal(1, Total(result, "invalid"));
        Assert.Contains(run.LogLines, line => line.StartsWith("line 1: unreadable: ", StringComparison.Ordinal) && line.Contains("UTF-8"));
        Assert.Contains(run.LogLines, line => line.StartsWith("line 2: unreadable: ", StringComparison.Ordinal));
        Assert.Equal("5001", Agent(result, "t1", "a1").GetProperty("dn").GetString());
    }

    [Fact]
    public void Each_line_form_is_read_a_malformed_line_a_raw_value_a_bare_event_and_a_record_wrapper()
    {
        var path = files.Write("forms.jsonl",
            """{"id":"EventAgentLogin","Server":"s""",
            """{"key":"t1:a1","timestamp":"2026-11-21T09:00:00Z","value_raw":"{not json"}""",
            """{"id":"EventAgentLogin","Server":"s","ThisDN":"5001","time":1795251600,"CustomerID":"t2","AgentID":"bare7","ThisQueue":"8001"}""",
            "",
            """{"key":"t1:a1","timestamp":"2026-11-21T09:01:00Z","value":{"id":"EventAgentLogin","Server":"s","ThisDN":"5002","time":1795251660,"AgentID":"ignored"}}""",
            """{"key":"t1:a1","timestamp":"2026-11-21T09:02:30.5Z","value":{"id":"EventDNOutOfService","ThisDN":"5002"}}""",
            """{"key":"t1:a1","timestamp":1795251780000,"value":{"id":"EventPartyInfo","ThisDN":"5002"}}""");

        var run = ReplayRun.Of(path);
        var result = run.Result();

        AssertEveryRecordCountedOnce(result, records: 6);
        Assert.Equal(3, Total(result, "applied"));
        Assert.Equal(1, Total(result, "skipped"));
        Assert.Equal(2, result.GetProperty("totals").GetProperty("invalidByReason").GetProperty("malformed-json").GetInt64());
        Assert.Equal(1, result.GetProperty("totals").GetProperty("skippedByReason").GetProperty("unknown-event").GetInt64());

        // The bare event has no key: its identity is CustomerID:AgentID.
        var bare = Agent(result, "t2", "bare7");
        Assert.Equal("LoggedIn", bare.GetProperty("state").GetString());
        Assert.Equal(["8001"], bare.GetProperty("queues").EnumerateArray().Select(q => q.GetString()));
        // The wrapper's key wins over the event's AgentID.
        Assert.Equal("5002", Agent(result, "t1", "a1").GetProperty("dn").GetString());
        // Without an event time, the wrapper's timestamp is the event time.
        var outOfService = Dn(result, "t1", "5002");
        Assert.False(outOfService.GetProperty("inService").GetBoolean());
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 9, 2, 30, 500, TimeSpan.Zero),
            DateTimeOffset.Parse(outOfService.GetProperty("updatedAt").GetString()!, CultureInfo.InvariantCulture));

        // One log line per record, numbered by the file's lines (the blank line 4 included), naming the outcome.
        Assert.Equal(6, run.LogLines.Length);
        Assert.StartsWith("line 1: - DeadLettered [malformed-json]", run.LogLines[0]);
        Assert.StartsWith("line 2: - DeadLettered [malformed-json]", run.LogLines[1]);
        Assert.Equal("line 3: EventAgentLogin Applied", run.LogLines[2]);
        Assert.Equal("line 5: EventAgentLogin Applied", run.LogLines[3]);
        Assert.Equal("line 6: EventDNOutOfService Applied", run.LogLines[4]);
        Assert.StartsWith("line 7: - Skipped [unknown-event]", run.LogLines[5]);
    }

    [Fact]
    public void An_agent_in_two_queues_who_leaves_one_is_listed_in_one_queue_and_the_extension_events_are_folded_or_counted()
    {
        var path = files.Write("extensions.jsonl",
            """{"key":"t1:a1","value":{"id":"EventAgentLogin","Server":"s","ThisDN":"5001","time":1795251600,"ThisQueue":"8001"}}""",
            """{"key":"t1:a1","value":{"id":"EventAgentLogin","Server":"s","ThisDN":"5001","time":1795251610,"ThisQueue":"8002"}}""",
            """{"key":"t1:a1","value":{"id":"EventAgentReady","Server":"s","ThisDN":"5001","time":1795251620,"AgentWorkMode":"AgentManualIn"}}""",
            """{"key":"t1:a1","value":{"id":"EventQueueLogout","Server":"s","ThisDN":"5001","time":1795251630,"ThisQueue":"8002","AgentID":"a1"}}""",
            """{"key":"t1:a1","value":{"id":"EventMessageWaitingOn","ThisDN":"5001","time":1795251640}}""",
            """{"key":"t1:a1","value":{"id":"EventMonitoringNextCall","ThisDN":"5001","time":1795251650}}""",
            """{"key":"t1:a1","value":{"id":"EventListenDisconnected","ThisDN":"5001"}}""",
            """{"key":"t1:a1","value":{"id":"EventListenDisconnected","ThisDN":"5001"}}""",
            """{"key":"t1:a1","value":{"id":"EventPartyInfo","ThisDN":"5001"}}""");

        var run = ReplayRun.Of(path);
        var result = run.Result();

        AssertEveryRecordCountedOnce(result, records: 9);
        var agent = Agent(result, "t1", "a1");
        Assert.Equal(["8001"], agent.GetProperty("queues").EnumerateArray().Select(q => q.GetString()));
        Assert.Equal("Ready", agent.GetProperty("state").GetString());
        var dn = Dn(result, "t1", "5001");
        Assert.Equal(["8001"], dn.GetProperty("queues").EnumerateArray().Select(q => q.GetString()));
        Assert.True(dn.GetProperty("messageWaiting").GetBoolean());
        Assert.Equal(5, Total(result, "applied"));
        Assert.Equal(
            [KeyValuePair.Create("EventListenDisconnected", 2L), KeyValuePair.Create("EventMonitoringNextCall", 1L), KeyValuePair.Create("unknown-event", 1L)],
            result.GetProperty("totals").GetProperty("skippedByReason").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt64())));
        Assert.Equal("line 4: EventQueueLogout Applied", run.LogLines[3]);
        Assert.StartsWith("line 6: - Skipped [EventMonitoringNextCall]", run.LogLines[5]);
    }

    [Fact]
    public void A_record_repeated_at_a_later_line_is_applied_again_because_the_line_is_its_position()
    {
        // The file is one partition and each line its own offset: a repeated line is new input, not a replay.
        const string login = """{"key":"t1:a1","value":{"id":"EventAgentLogin","Server":"s","ThisDN":"5001","time":1795251600,"ThisQueue":"8001"}}""";
        var result = ReplayRun.Of(files.Write("repeat.jsonl", login, login)).Result();

        Assert.Equal(2, Total(result, "applied"));
        Assert.Equal(2, Agent(result, "t1", "a1").GetProperty("eventCount").GetInt64());
        Assert.Equal(1, Agent(result, "t1", "a1").GetProperty("source").GetProperty("offset").GetInt64());
    }

    [Fact]
    public void A_value_over_the_message_limit_is_invalid_as_too_large()
    {
        var path = files.Write("large.jsonl",
            """{"key":"t1:a1","value":{"id":"EventDNDOn","Server":"s","ThisDN":"5001","time":1795251600}}""",
            $$$"""{"key":"t1:a1","value":{"id":"EventDNDOn","Server":"s","ThisDN":"5001","time":1795251600,"Pad":"{{{new string('x', 200)}}}"}}""");

        var result = ReplayRun.Of(path, "--max-message-bytes", "150").Result();

        Assert.Equal(1, Total(result, "applied"));
        Assert.Equal(1, result.GetProperty("totals").GetProperty("invalidByReason").GetProperty("too-large").GetInt64());
    }

    [Fact]
    public void An_empty_file_gives_empty_state_and_zero_totals()
    {
        var result = ReplayRun.Of(files.Write("empty.jsonl")).Result();

        Assert.Empty(result.GetProperty("agents").EnumerateArray());
        Assert.Empty(result.GetProperty("dns").EnumerateArray());
        AssertEveryRecordCountedOnce(result, records: 0);
    }

    [Fact]
    public void A_missing_file_is_a_usage_error()
    {
        var missing = files.PathOf("no-such-file.jsonl");

        var run = ReplayRun.Of(missing);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains($"input file '{missing}' does not exist", run.Log);
        Assert.Contains("usage: AgentStateProcessor replay FILE", run.Log);
    }

    [Theory]
    [InlineData(new string[0], "no input file given")]
    [InlineData(new[] { "--bogus" }, "unexpected argument '--bogus'")]
    [InlineData(new[] { "a.jsonl", "b.jsonl" }, "unexpected argument 'b.jsonl'")]
    [InlineData(new[] { "a.jsonl", "--max-message-bytes", "lots" }, "unexpected argument '--max-message-bytes'")]
    [InlineData(new[] { "a.jsonl", "--max-message-bytes", "0" }, "unexpected argument '--max-message-bytes'")]
    [InlineData(new[] { "a.jsonl", "--max-message-bytes" }, "unexpected argument '--max-message-bytes'")]
    [InlineData(new[] { "a.jsonl", "--changes" }, "unexpected argument '--changes'")]
    public void A_bad_argument_is_a_usage_error_that_names_it(string[] args, string problem)
    {
        var run = ReplayRun.Of(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Contains("error: " + problem, run.Log);
        Assert.Contains("usage:", run.Log);
    }

    [Fact]
    public void A_record_timestamp_outside_the_calendar_is_a_result_not_a_crash()
    {
        // EventDNOutOfService has no time attribute, so the wrapper's timestamp (epoch milliseconds, here the year 11476) becomes its time.
        var path = files.Write("far-future.jsonl",
            """{"key":"t1:a1","timestamp":300000000000000,"value":{"id":"EventDNOutOfService","ThisDN":"5001"}}""");

        var run = ReplayRun.Of(path);

        Assert.True(run.ExitCode == 0, $"exit code {run.ExitCode}:\n{run.Log}");
        AssertEveryRecordCountedOnce(run.Result(), records: 1);
    }
}
