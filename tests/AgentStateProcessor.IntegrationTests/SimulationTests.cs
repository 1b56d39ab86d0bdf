using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentStateProcessor.Domain;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.IntegrationTests.Infrastructure;
using AgentStateProcessor.Processing;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Schemas;
using AgentStateProcessor.Simulation;

namespace AgentStateProcessor.IntegrationTests;

public sealed class SimulationTests
{
    private const int SampleSize = 10_000;
    private static readonly VoiceAgentStateTables Tables = VoiceAgentStateTables.Load();
    private static readonly ContactCenterSimulatorOptions Defaults = new();

    /// <summary>
    /// Extension events the processor validates and then skips (docs/fold-rules.md), and a T-Library event no table
    /// describes (skipped as unknown-event): what the simulator's skipped share may carry.
    /// </summary>
    private static readonly string[] SkippedExtensionEvents =
        ["EventMonitoringNextCall", "EventMonitoringCancelled", "EventListenDisconnected", "EventListenReconnected"];
    private const string UndescribedEvent = "EventPartyInfo";

    [Fact]
    public void The_same_seed_yields_the_same_records_byte_for_byte()
    {
        var first = new ContactCenterSimulator(Defaults with { Seed = 7 }).Generate(5_000).ToList();
        var second = new ContactCenterSimulator(Defaults with { Seed = 7 }).Generate(5_000).ToList();
        var otherSeed = new ContactCenterSimulator(Defaults with { Seed = 8 }).Generate(5_000).ToList();

        Assert.Equal(first.Count, second.Count);
        for (var index = 0; index < first.Count; index++)
        {
            Assert.Equal(first[index].Key, second[index].Key);
            Assert.Equal(first[index].Value, second[index].Value);
            Assert.Equal(first[index].Timestamp, second[index].Timestamp);
            Assert.Equal(first[index].Kind, second[index].Kind);
        }

        Assert.NotEqual(first.Select(record => Convert.ToHexString(record.Value)), otherSeed.Select(record => Convert.ToHexString(record.Value)));
    }

    [Fact]
    public void Each_enumeration_starts_again_from_the_seed()
    {
        var records = new ContactCenterSimulator(Defaults).Generate();

        var first = records.Take(100).Select(record => Convert.ToHexString(record.Value)).ToList();
        var again = records.Take(100).Select(record => Convert.ToHexString(record.Value)).ToList();

        Assert.Equal(first, again);
    }

    [Theory]
    [InlineData(0.02, 0.01)]
    [InlineData(0.10, 0.05)]
    [InlineData(0.0, 0.0)]
    public void Invalid_and_skipped_shares_are_what_the_options_ask_for(double invalidShare, double unknownShare)
    {
        var records = new ContactCenterSimulator(Defaults with { InvalidShare = invalidShare, UnknownEventShare = unknownShare })
            .Generate(SampleSize).ToList();

        var invalid = records.Count(record => Classify(record.Value).Kind == SimulatedRecordKind.Invalid);
        var skipped = records.Count(record => Classify(record.Value).Kind == SimulatedRecordKind.Skipped);

        // Four standard deviations of a binomial count, plus one so a zero share must give exactly zero.
        Assert.InRange(invalid, Expected(invalidShare).Low, Expected(invalidShare).High);
        Assert.InRange(skipped, Expected(unknownShare).Low, Expected(unknownShare).High);

        static (double Low, double High) Expected(double share)
        {
            var mean = share * SampleSize;
            var margin = 4 * Math.Sqrt(SampleSize * share * (1 - share));
            return (mean - margin, mean + margin + (share == 0 ? 0 : 1));
        }
    }

    [Fact]
    public void An_independent_reading_of_every_record_agrees_with_the_kind_the_simulator_reports()
    {
        var records = new ContactCenterSimulator(Defaults with { InvalidShare = 0.05, UnknownEventShare = 0.05 }).Generate(SampleSize);

        Assert.All(records, record =>
        {
            var (kind, reason) = Classify(record.Value);
            Assert.True(kind == record.Kind, $"simulator says {record.Kind}, reading says {kind} ({reason}): {Printable(record.Value)}");
        });
    }

    [Fact]
    public void Valid_records_carry_their_tables_mandatory_attributes_and_no_attribute_their_table_lacks()
    {
        var valid = new ContactCenterSimulator(Defaults).Generate(SampleSize).Where(record => record.Kind == SimulatedRecordKind.Valid);

        Assert.All(valid, record =>
        {
            using var document = JsonDocument.Parse(record.Value);
            var table = Tables.Events[document.RootElement.GetProperty("id").GetString()!];
            var present = document.RootElement.EnumerateObject().Select(property => property.Name).ToHashSet();

            Assert.Empty(table.Mandatory.Except(present));
            Assert.Empty(present.Except(table.All));
            Assert.All(document.RootElement.EnumerateObject(),
                property => Assert.True(Tables.Fits(property.Name, property.Value), $"{property.Name} = {property.Value.GetRawText()}"));
        });
    }

    [Fact]
    public void Every_event_of_the_topic_and_every_encoding_variant_occurs()
    {
        var values = new ContactCenterSimulator(Defaults).Generate(SampleSize)
            .Where(record => record.Kind == SimulatedRecordKind.Valid)
            .Select(record => JsonDocument.Parse(record.Value).RootElement)
            .ToList();

        Assert.Equal(Tables.Events.Keys.Except(SkippedExtensionEvents).Order(), values.Select(value => value.GetProperty("id").GetString()!).Distinct().Order());
        var timeKinds = values.Where(value => value.TryGetProperty("time", out _))
            .Select(value => value.GetProperty("time") switch
            {
                { ValueKind: JsonValueKind.Number } time when time.TryGetInt64(out _) => "integer seconds",
                { ValueKind: JsonValueKind.Number } => "fractional seconds",
                { ValueKind: JsonValueKind.Object } => "timeinSecs/timeinuSecs",
                _ => "ISO-8601",
            })
            .ToLookup(kind => kind);
        Assert.Equal(4, timeKinds.Count);
        Assert.True(timeKinds["integer seconds"].Count() + timeKinds["fractional seconds"].Count() > values.Count / 2,
            "epoch seconds should be the most common time encoding");

        var workModes = values.Where(value => value.TryGetProperty("AgentWorkMode", out _)).Select(value => value.GetProperty("AgentWorkMode")).ToList();
        Assert.Contains(workModes, mode => mode.ValueKind == JsonValueKind.String);
        Assert.Contains(workModes, mode => mode.ValueKind == JsonValueKind.Number);
        Assert.Contains(values, value => value.TryGetProperty("Reasons", out var reasons) && reasons.TryGetProperty("ReasonCode", out _));
        Assert.Contains(values, value => value.TryGetProperty("Extensions", out var extensions) && extensions.TryGetProperty("ReasonCode", out _));
        Assert.Contains(values, value => value.TryGetProperty("Extensions", out var extensions)
            && extensions.EnumerateObject().Any(entry => entry.Value.ValueKind == JsonValueKind.Object));
    }

    [Fact]
    public void Each_agents_events_form_a_coherent_history()
    {
        var records = new ContactCenterSimulator(Defaults).Generate(SampleSize * 5).Where(record => record.Kind == SimulatedRecordKind.Valid);
        var agents = new Dictionary<string, ObservedAgent>();

        foreach (var record in records)
        {
            using var document = JsonDocument.Parse(record.Value);
            var value = document.RootElement;
            var eventName = value.GetProperty("id").GetString()!;
            var dn = value.GetProperty("ThisDN").GetString()!;
            var agent = agents.TryGetValue(record.Key!, out var known) ? known : agents[record.Key!] = new ObservedAgent(dn);
            var context = $"{record.Key} {eventName} after {agent}";

            Assert.True(dn == agent.Dn, $"{context}: each agent keeps one DN, saw {dn}");
            Assert.True(!agent.OutOfService || eventName == "EventDNBackInService", $"{context}: nothing is expected while a DN is out of service");
            switch (eventName)
            {
                case "EventAgentLogin":
                    agent.LoggedIn = true;
                    agent.Queues.Add(value.GetProperty("ThisQueue").GetString()!);
                    break;
                case "EventAgentLogout":
                    Assert.True(agent.LoggedIn && agent.ConnId is null, context);
                    agent.LoggedIn = false;
                    agent.Queues.Clear();
                    break;
                case "EventQueueLogout":
                    var queue = value.GetProperty("ThisQueue").GetString()!;
                    Assert.True(agent.LoggedIn && agent.Queues.Contains(queue), $"{context}: leaves a queue it is in, {queue}");
                    Assert.True(agent.Queues.Count > 1 || agent.ConnId is null, $"{context}: logs out by its last queue during a call");
                    agent.Queues.Remove(queue);
                    agent.LoggedIn = agent.Queues.Count > 0;
                    if (agent.LoggedIn) agent.QueueLogouts++;
                    else agent.LastQueueLogouts++;
                    break;
                case "EventMessageWaitingOn" or "EventMessageWaitingOff":
                    Assert.True(agent.MessageWaiting != (eventName == "EventMessageWaitingOn"), context);
                    agent.MessageWaiting = eventName == "EventMessageWaitingOn";
                    break;
                case "EventAgentReady" or "EventAgentNotReady":
                    Assert.True(agent.LoggedIn, context);
                    break;
                case "EventDNOutOfService":
                    Assert.True(agent.ConnId is null, context);
                    agent.OutOfService = true;
                    break;
                case "EventDNBackInService":
                    Assert.True(agent.OutOfService, context);
                    agent.OutOfService = false;
                    break;
                case "EventDNDOn" or "EventDNDOff":
                    Assert.True(agent.Dnd != (eventName == "EventDNDOn"), context);
                    agent.Dnd = eventName == "EventDNDOn";
                    break;
                case "EventForwardSet":
                    Assert.True(agent.ForwardTo is null, context);
                    agent.ForwardTo = value.GetProperty("OtherDN").GetString();
                    break;
                case "EventForwardCancel":
                    Assert.True(agent.ForwardTo is not null, context);
                    agent.ForwardTo = null;
                    break;
                case "EventOffHook":
                    Assert.True(agent.ConnId is null, context);
                    agent.ConnId = value.GetProperty("ConnID").GetString();
                    break;
                case "EventOnHook":
                    Assert.True(agent.ConnId == value.GetProperty("ConnID").GetString() && !agent.Muted, context);
                    agent.ConnId = null;
                    break;
                case "EventMuteOn" or "EventMuteOff":
                    Assert.True(agent.ConnId == value.GetProperty("ConnID").GetString(), $"{context}: mutes the call in progress");
                    Assert.True(agent.Muted != (eventName == "EventMuteOn"), context);
                    agent.Muted = eventName == "EventMuteOn";
                    break;
            }

            if (eventName.StartsWith("EventAgent", StringComparison.Ordinal) && !agent.LoggedIn && eventName != "EventAgentLogout")
            {
                Assert.Fail($"{context}: agent event while logged out");
            }
        }

        Assert.Equal(Defaults.AgentCount, agents.Count);
        Assert.Contains(agents.Values, agent => agent.LoggedIn);
        Assert.Contains(agents.Values, agent => !agent.LoggedIn);
        Assert.Contains(agents.Values, agent => agent.Queues.Count > 1);
        Assert.True(agents.Values.Sum(agent => agent.QueueLogouts) > 50, "multi-queue agents leave single queues");
        Assert.True(agents.Values.Sum(agent => agent.LastQueueLogouts) > 50, "agents log out by leaving their last queue");
    }

    /// <summary>
    /// The simulation through the local fold (replay's): leaving one of several queues only shortens the agent's
    /// queues, leaving the last one is its logout and so its change to LoggedOut (docs/fold-rules.md).
    /// </summary>
    [Fact]
    public void The_local_fold_of_the_simulation_logs_an_agent_out_when_it_leaves_its_last_queue_and_only_then()
    {
        var fold = new LocalProcessor(new EventIntake(EventSchemaSet.LoadEmbedded(), 1_000_000, requireAgentKey: true));
        var joined = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var (lastQueueLogouts, otherQueueLogouts, offset) = (0, 0, 0L);

        foreach (var record in new ContactCenterSimulator(Defaults).Generate(SampleSize * 5))
        {
            var position = new InputPosition("voice-agentstate", 0, offset++);
            var result = fold.Process(new InputRecord(record.Key, record.Value, record.Timestamp.ToUnixTimeMilliseconds() * 1000, position));
            if (record.Kind != SimulatedRecordKind.Valid) continue;
            using var document = JsonDocument.Parse(record.Value);
            var eventName = document.RootElement.GetProperty("id").GetString();
            var queues = joined.TryGetValue(record.Key!, out var known) ? known : joined[record.Key!] = new(StringComparer.Ordinal);
            switch (eventName)
            {
                case "EventAgentLogin":
                    queues.Add(document.RootElement.GetProperty("ThisQueue").GetString()!);
                    break;
                case "EventAgentLogout":
                    queues.Clear();
                    break;
                case "EventQueueLogout":
                    queues.Remove(document.RootElement.GetProperty("ThisQueue").GetString()!);
                    var agent = fold.Agents.Get(record.Key!)!;
                    Assert.Equal<string>(queues, agent.Queues);
                    if (queues.Count == 0)
                    {
                        var change = Assert.IsType<AgentStateChange>(result.Change);
                        Assert.Equal((AgentStatus.LoggedOut, "EventQueueLogout", position), (change.State, change.EventName, change.Source));
                        Assert.NotEqual(AgentStatus.LoggedOut, change.PreviousState);
                        lastQueueLogouts++;
                    }
                    else
                    {
                        Assert.Null(result.Change);
                        Assert.NotEqual(AgentStatus.LoggedOut, agent.State);
                        otherQueueLogouts++;
                    }
                    break;
            }
        }

        Assert.True(lastQueueLogouts > 50, $"{lastQueueLogouts} last-queue logouts");
        Assert.True(otherQueueLogouts > 50, $"{otherQueueLogouts} logouts from one of several queues");
    }

    [Fact]
    public void Keys_name_tenant_and_agent_and_agree_with_the_values()
    {
        var records = new ContactCenterSimulator(Defaults with { TenantCount = 4, AgentCount = 200 }).Generate(SampleSize).ToList();

        Assert.Equal(200, records.Select(record => record.Key).Distinct().Count());
        Assert.Equal(4, records.Select(record => record.Key!.Split(':')[0]).Distinct().Count());
        foreach (var record in records.Where(record => record.Kind == SimulatedRecordKind.Valid))
        {
            using var document = JsonDocument.Parse(record.Value);
            var (tenant, agent) = (record.Key!.Split(':')[0], record.Key!.Split(':')[1]);
            if (document.RootElement.TryGetProperty("CustomerID", out var customer))
            {
                Assert.Equal(tenant, customer.GetString());
            }

            if (document.RootElement.TryGetProperty("AgentID", out var agentId))
            {
                Assert.Equal(agent, agentId.GetString());
            }
        }
    }

    [Fact]
    public void Timestamps_advance_by_the_time_step_and_the_time_attribute_encodes_the_same_instant()
    {
        var start = new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
        var step = TimeSpan.FromMilliseconds(7);
        var records = new ContactCenterSimulator(Defaults with { StartTime = start, TimeStep = step }).Generate(SampleSize).ToList();

        Assert.Equal(Enumerable.Range(0, records.Count).Select(index => start + step * index), records.Select(record => record.Timestamp));
        foreach (var record in records.Where(record => record.Kind == SimulatedRecordKind.Valid))
        {
            using var document = JsonDocument.Parse(record.Value);
            if (!document.RootElement.TryGetProperty("time", out var time))
            {
                continue;
            }

            var decoded = DecodeTime(time);
            // Integer epoch seconds drop the milliseconds; every other encoding keeps them.
            var tolerance = time.ValueKind == JsonValueKind.Number && time.TryGetInt64(out _) ? TimeSpan.FromSeconds(1) : TimeSpan.Zero;
            Assert.InRange(record.Timestamp - decoded, TimeSpan.Zero, tolerance);
        }
    }

    [Fact]
    public void Inconsistent_options_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContactCenterSimulator(Defaults with { InvalidShare = 0.7, UnknownEventShare = 0.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContactCenterSimulator(Defaults with { AgentCount = 2, TenantCount = 3 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContactCenterSimulator(Defaults with { TimeStep = TimeSpan.Zero }));
    }

    /// <summary>What the processor should make of a value, decided from the tables alone.</summary>
    private static (SimulatedRecordKind Kind, string Reason) Classify(byte[] value)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(value);
        }
        catch (JsonException exception)
        {
            return (SimulatedRecordKind.Invalid, $"not JSON: {exception.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
            {
                return (SimulatedRecordKind.Invalid, "not an event object");
            }

            if (id.GetString() == UndescribedEvent)
            {
                return (SimulatedRecordKind.Skipped, "no table describes it");
            }

            if (!Tables.Events.TryGetValue(id.GetString()!, out var table))
            {
                return (SimulatedRecordKind.Invalid, $"unexpected event {id.GetString()}");
            }

            var missing = table.Mandatory.Where(attribute => !root.TryGetProperty(attribute, out _)).ToList();
            if (missing.Count > 0)
            {
                return (SimulatedRecordKind.Invalid, $"missing {string.Join(", ", missing)}");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (table.All.Contains(property.Name) && !Tables.Fits(property.Name, property.Value))
                {
                    return (SimulatedRecordKind.Invalid, $"{property.Name} does not fit: {property.Value.GetRawText()}");
                }
            }

            return SkippedExtensionEvents.Contains(id.GetString())
                ? (SimulatedRecordKind.Skipped, "fits its extension table, which gives it no state rule")
                : (SimulatedRecordKind.Valid, "fits its table");
        }
    }

    private static DateTimeOffset DecodeTime(JsonElement time) => time.ValueKind switch
    {
        JsonValueKind.Number => DateTimeOffset.UnixEpoch + TimeSpan.FromMilliseconds((double)(time.GetDecimal() * 1000m)),
        JsonValueKind.Object => DateTimeOffset.FromUnixTimeSeconds(time.GetProperty("timeinSecs").GetInt64())
            + TimeSpan.FromMicroseconds(time.GetProperty("timeinuSecs").GetInt64()),
        _ => DateTimeOffset.Parse(time.GetString()!, CultureInfo.InvariantCulture),
    };

    private static string Printable(byte[] value) => Encoding.UTF8.GetString(value);

    private sealed class ObservedAgent(string dn)
    {
        public string Dn { get; } = dn;
        public bool LoggedIn { get; set; }
        public bool OutOfService { get; set; }
        public bool Dnd { get; set; }
        public string? ForwardTo { get; set; }
        public string? ConnId { get; set; }
        public bool Muted { get; set; }
        public bool MessageWaiting { get; set; }
        public HashSet<string> Queues { get; } = new(StringComparer.Ordinal);
        public int QueueLogouts { get; set; }
        public int LastQueueLogouts { get; set; }

        public override string ToString() =>
            $"[loggedIn={LoggedIn} queues={string.Join(',', Queues)} oos={OutOfService} dnd={Dnd} fwd={ForwardTo} conn={ConnId} muted={Muted} mwi={MessageWaiting}]";
    }
}
