namespace AgentStateProcessor.Configuration;

/// <summary>Topic names (configuration section <c>Topics</c>).</summary>
internal sealed class TopicOptions : ISelfValidatingOptions
{
    public const string SectionName = "Topics";

    /// <summary>Input: key "tenant:agent" (UTF-8), value an event as JSON or Confluent-framed Avro.</summary>
    public string Input { get; set; } = "voice-agentstate";
    /// <summary>Compacted; key "tenant:agent", value AgentSnapshot Avro. Also the agent state's changelog: as many partitions as the input.</summary>
    public string AgentSnapshots { get; set; } = "voice-agentstate-agents";
    /// <summary>Compacted; key "tenant:dn", value DnSnapshot Avro. Also the DN state's changelog.</summary>
    public string DnSnapshots { get; set; } = "voice-agentstate-dns";
    /// <summary>
    /// Not compacted (a history, not a state); key "tenant:agent", value AgentStateChange Avro, one record per agent
    /// state change in input order per key. As many partitions as the input: an agent's changes go to its input partition.
    /// </summary>
    public string AgentStateChanges { get; set; } = "voice-agentstate-changes";
    /// <summary>Invalid input: original key and value bytes, headers with the error and the source position.</summary>
    public string DeadLetters { get; set; } = "voice-agentstate-dlq";
    /// <summary>Internal: DN-relevant events re-keyed "tenant:dn"; as many partitions as the DN snapshot topic.</summary>
    public string DnRepartition { get; set; } = "agentstateprocessor-dn-repartition";
    /// <summary>Internal, compacted: per consumed partition, the next offset to process, written with the snapshots.</summary>
    public string Progress { get; set; } = "agentstateprocessor-progress";

    public IEnumerable<string> Validate()
    {
        var names = new (string Setting, string Value)[]
        {
            ("Input", Input), ("AgentSnapshots", AgentSnapshots), ("DnSnapshots", DnSnapshots), ("AgentStateChanges", AgentStateChanges),
            ("DeadLetters", DeadLetters), ("DnRepartition", DnRepartition), ("Progress", Progress),
        };
        foreach (var (setting, value) in names)
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > 249 || value.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
            {
                yield return $"Topics:{setting} '{value}' is not a valid Kafka topic name (1-249 of [a-zA-Z0-9._-])";
            }
        }
        foreach (var duplicate in names.GroupBy(n => n.Value).Where(g => g.Count() > 1))
        {
            yield return $"Topics:{string.Join(" and Topics:", duplicate.Select(d => d.Setting))} name the same topic '{duplicate.Key}'";
        }
    }
}
