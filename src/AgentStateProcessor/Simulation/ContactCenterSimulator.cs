using System.Globalization;

namespace AgentStateProcessor.Simulation;

/// <summary>
/// A seeded, deterministic contact center producing <c>voice-agentstate</c> records as Voice Microservices
/// would: its agents (<see cref="SimulatedAgent"/>) act one event at a time, each event rendered as JSON
/// (<see cref="EventJsonRenderer"/>). A configurable share of records is invalid (<see cref="InvalidRecords"/>,
/// must be dead-lettered) or carries events the processor skips (extension events without a state rule, or an
/// event no table describes).
/// </summary>
internal sealed class ContactCenterSimulator
{
    private readonly ContactCenterSimulatorOptions options;

    public ContactCenterSimulator(ContactCenterSimulatorOptions options)
    {
        options.Validate();
        this.options = options;
    }

    /// <summary>An endless sequence; every enumeration starts again from the seed and yields the same records.</summary>
    public IEnumerable<SimulatedRecord> Generate()
    {
        var run = new SimulationRun(options);
        while (true)
        {
            yield return run.Next();
        }
    }

    public IEnumerable<SimulatedRecord> Generate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return Generate().Take(count);
    }

    /// <summary>The simulation's mutable state: one per enumeration, never shared. One random source drives it all, in a fixed order.</summary>
    private sealed class SimulationRun
    {
        private readonly ContactCenterSimulatorOptions options;
        private readonly Random random;
        private readonly SimulatedAgent[] agents;
        private readonly EventJsonRenderer renderer;
        private readonly InvalidRecords invalidRecords;
        private long sequence;

        public SimulationRun(ContactCenterSimulatorOptions options)
        {
            this.options = options;
            random = new Random(options.Seed);
            renderer = new EventJsonRenderer(random);
            invalidRecords = new InvalidRecords(random, renderer);
            agents = CreateAgents();
        }

        public SimulatedRecord Next()
        {
            var timestamp = options.StartTime + options.TimeStep * sequence++;
            var agent = agents[random.Next(agents.Length)];
            var roll = random.NextDouble();
            renderer.Reset();

            if (roll < options.InvalidShare)
            {
                return new SimulatedRecord(agent.Key, invalidRecords.Write(agent, timestamp), timestamp, SimulatedRecordKind.Invalid);
            }

            SimulatedRecordKind kind;
            if (roll < options.InvalidShare + options.UnknownEventShare)
            {
                kind = SimulatedRecordKind.Skipped;
                renderer.WriteSkippedEvent(agent, timestamp);
            }
            else
            {
                kind = SimulatedRecordKind.Valid;
                var agentEvent = agent.Apply(agent.ChooseNextEvent(random), random);
                renderer.WriteEvent(agent, agentEvent, timestamp);
            }

            return new SimulatedRecord(agent.Key, renderer.Written.ToArray(), timestamp, kind);
        }

        private SimulatedAgent[] CreateAgents()
        {
            var servers = Enumerable.Range(1, options.TenantCount).Select(tenant => $"voice-sip-{tenant:D2}").ToArray();
            var result = new SimulatedAgent[options.AgentCount];
            for (var index = 0; index < result.Length; index++)
            {
                var tenantIndex = index % options.TenantCount;
                var numberInTenant = index / options.TenantCount;
                var firstQueue = random.Next(options.QueuesPerTenant);
                var queues = options.QueuesPerTenant > 1 && random.Next(3) == 0
                    ? new[] { QueueDn(firstQueue), QueueDn((firstQueue + 1) % options.QueuesPerTenant) }
                    : new[] { QueueDn(firstQueue) };
                result[index] = new SimulatedAgent(
                    tenantId: $"tenant-{tenantIndex + 1:D2}",
                    agentId: $"agent-{numberInTenant + 1:D4}",
                    dn: (70000 + numberInTenant).ToString(CultureInfo.InvariantCulture),
                    queues: queues,
                    server: servers[tenantIndex]);
            }

            return result;

            static string QueueDn(int queue) => (8000 + queue).ToString(CultureInfo.InvariantCulture);
        }
    }
}
