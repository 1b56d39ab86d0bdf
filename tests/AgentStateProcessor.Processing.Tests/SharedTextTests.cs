using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using AgentStateProcessor.Domain.Events;
using AgentStateProcessor.Processing.Intake;
using AgentStateProcessor.Processing.Snapshots;
using AgentStateProcessor.Processing.Tests.Support;
using AgentStateProcessor.Schemas;

namespace AgentStateProcessor.Processing.Tests;

/// <summary>
/// Every record and every restored snapshot brings fresh strings; states keep one shared instance
/// of the text that repeats across agents (tenant, queues, reason code, topic, event name).
/// </summary>
public sealed class SharedTextTests
{
    private static string Fresh(string text) => new(text.AsSpan());

    private static InputRecord Record(string tenant, string agent, string dn, string json, long offset) =>
        new(Fresh($"{tenant}:{agent}"), Encoding.UTF8.GetBytes(json), 0, new InputPosition(Fresh(Inputs.Topic), 0, offset));

    private static string NotReady(string dn, string queue) =>
        $$$"""{"id":"EventAgentNotReady","Server":"s","ThisDN":"{{{dn}}}","time":1795770000,"ThisQueue":"{{{queue}}}","AgentWorkMode":4,"Reasons":{"ReasonCode":"Lunch"}}""";

    private static string Login(string dn, string queue) =>
        $$"""{"id":"EventAgentLogin","Server":"s","ThisDN":"{{dn}}","time":1795770000,"ThisQueue":"{{queue}}"}""";

    [Fact]
    public void Events_of_different_records_share_tenant_queue_reason_and_topic_but_not_agent_or_dn()
    {
        var pool = new InternPool(maxStrings: 100, maxStringLength: 64, maxArrays: 10, maxArrayLength: 4);
        var intake = new EventIntake(EventSchemaSet.LoadEmbedded(), Inputs.MaxMessageBytes, internPool: pool);

        var a = intake.Read(Record("tenant-01", "agent-1", "5001", NotReady("5001", "8000"), 1)).Event!;
        var b = intake.Read(Record("tenant-01", "agent-2", "5002", NotReady("5002", "8000"), 2)).Event!;

        Assert.Same(a.TenantId, b.TenantId);
        Assert.Same(a.ThisQueue, b.ThisQueue);
        Assert.Same(a.ReasonCode, b.ReasonCode);
        Assert.Same(a.Position.Topic, b.Position.Topic);
        Assert.Same(a.Name, b.Name);
        Assert.Equal(("tenant-01", "8000", "Lunch", Inputs.Topic), (a.TenantId, a.ThisQueue, a.ReasonCode, a.Position.Topic));
        // Tenant, queue, reason code and topic: ids unique to an agent or DN would only fill the pool.
        Assert.Equal(4, pool.StringCount);
    }

    [Fact]
    public void Records_of_ever_new_tenants_fill_the_intakes_pool_to_its_bound_and_still_read_right()
    {
        var pool = new InternPool(maxStrings: 4, maxStringLength: 64, maxArrays: 10, maxArrayLength: 4);
        var intake = new EventIntake(EventSchemaSet.LoadEmbedded(), Inputs.MaxMessageBytes, internPool: pool);

        for (var i = 0; i < 500; i++)
        {
            var e = intake.Read(Record($"tenant-{i}", "agent-1", "5001", Login("5001", $"queue-{i}"), i)).Event!;
            Assert.Equal(($"tenant-{i}", $"queue-{i}", Inputs.Topic), (e.TenantId, e.ThisQueue, e.Position.Topic));
        }

        Assert.Equal(4, pool.StringCount);
    }

    [Fact]
    public void Folded_states_of_different_agents_share_repeating_text_and_queue_sets_and_a_dn_shares_its_agents_id()
    {
        var processor = new LocalProcessor(Inputs.Intake());
        long offset = 0;
        foreach (var (agent, dn) in new[] { ("agent-1", "5001"), ("agent-2", "5002") })
        {
            processor.Process(Record("tenant-01", agent, dn, Login(dn, "8000"), offset++));
            processor.Process(Record("tenant-01", agent, dn, Login(dn, "8001"), offset++));
            processor.Process(Record("tenant-01", agent, dn, NotReady(dn, "8000"), offset++));
        }

        var (a1, a2) = (processor.Agents.Get("tenant-01:agent-1")!, processor.Agents.Get("tenant-01:agent-2")!);
        var (d1, d2) = (processor.Dns.Get("tenant-01:5001")!, processor.Dns.Get("tenant-01:5002")!);
        Assert.Equal<string>(["8000", "8001"], a1.Queues);
        Assert.Same(a1.TenantId, a2.TenantId);
        Assert.Same(a1.TenantId, d2.TenantId);
        Assert.Same(a1.ReasonCode, a2.ReasonCode);
        Assert.Same(a1.Source.Topic, d2.Source.Topic);
        Assert.Same(a1.LastEvent, d2.LastEvent);
        Assert.Same(Array(a1.Queues), Array(a2.Queues));
        Assert.Same(Array(a1.Queues), Array(d1.Queues));
        Assert.Same(Array(d1.Queues), Array(d2.Queues));
        Assert.Same(a1.AgentId, d1.AgentId);
        Assert.Same(a1.Dn, d1.Dn);
    }

    [Fact]
    public void States_restored_from_snapshot_bytes_share_repeating_text_and_queue_sets()
    {
        var processor = new LocalProcessor(Inputs.Intake());
        processor.Process(Record("tenant-01", "agent-1", "5001", Login("5001", "8000"), 0));
        processor.Process(Record("tenant-01", "agent-1", "5001", NotReady("5001", "8001"), 1));
        var agentBytes = SnapshotCodec.Encode(SnapshotMapper.ToRecord(processor.Agents.Get("tenant-01:agent-1")!));
        var dnBytes = SnapshotCodec.Encode(SnapshotMapper.ToRecord(processor.Dns.Get("tenant-01:5001")!));

        var agent1 = SnapshotMapper.ToAgentState(SnapshotCodec.Decode(SnapshotSchemas.Agent, agentBytes));
        var agent2 = SnapshotMapper.ToAgentState(SnapshotCodec.Decode(SnapshotSchemas.Agent, agentBytes));
        var dn = SnapshotMapper.ToDnState(SnapshotCodec.Decode(SnapshotSchemas.Dn, dnBytes));

        Assert.NotSame(agent1.AgentId, agent2.AgentId);
        Assert.Same(agent1.TenantId, agent2.TenantId);
        Assert.Same(agent1.TenantId, dn.TenantId);
        Assert.Same(agent1.ReasonCode, agent2.ReasonCode);
        Assert.Same(agent1.LastEvent, dn.LastEvent);
        Assert.Same(agent1.Source.Topic, dn.Source.Topic);
        Assert.Same(Array(agent1.Queues), Array(agent2.Queues));
        Assert.Same(Array(agent1.Queues), Array(dn.Queues));
        Assert.Equal(agentBytes, SnapshotCodec.Encode(SnapshotMapper.ToRecord(agent1)));
        Assert.Equal(dnBytes, SnapshotCodec.Encode(SnapshotMapper.ToRecord(dn)));
    }

    private static string[]? Array(ImmutableArray<string> names) => ImmutableCollectionsMarshal.AsArray(names);
}
