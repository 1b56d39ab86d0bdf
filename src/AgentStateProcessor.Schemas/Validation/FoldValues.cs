namespace AgentStateProcessor.Schemas.Validation;

/// <summary>The values of <see cref="ValidatedEvent"/> gathered while the fields are read, in any order.</summary>
internal struct FoldValues
{
    private string? _thisDn;
    private string? _thisQueue;
    private string? _otherDn;
    private string? _connId;
    private string? _agentId;
    private string? _customerId;
    private string? _agentWorkMode;
    private string? _reasonsReasonCode;
    private string? _extensionsReasonCode;
    private long? _timeMicros;

    public void SetText(FoldAttribute attribute, string? value)
    {
        switch (attribute)
        {
            case FoldAttribute.ThisDn: _thisDn = value; break;
            case FoldAttribute.ThisQueue: _thisQueue = value; break;
            case FoldAttribute.OtherDn: _otherDn = value; break;
            case FoldAttribute.ConnId: _connId = value; break;
            case FoldAttribute.AgentId: _agentId = value; break;
            case FoldAttribute.CustomerId: _customerId = value; break;
            case FoldAttribute.AgentWorkMode: _agentWorkMode = value; break;
            case FoldAttribute.Reasons: _reasonsReasonCode = value; break;
            case FoldAttribute.Extensions: _extensionsReasonCode = value; break;
        }
    }

    public void SetTime(long micros) => _timeMicros = micros;

    public readonly ValidatedEvent ToEvent(string eventName) => new(
        eventName, _thisDn, _thisQueue, _otherDn, _connId, _agentId, _customerId, _agentWorkMode,
        _reasonsReasonCode ?? _extensionsReasonCode, _timeMicros);

    /// <summary>Whether a key-value list entry is the reason code the fold reads (the documents vary the case).</summary>
    public static bool IsReasonCodeKey(ReadOnlySpan<char> key) => key.Equals("ReasonCode", StringComparison.OrdinalIgnoreCase);
}
