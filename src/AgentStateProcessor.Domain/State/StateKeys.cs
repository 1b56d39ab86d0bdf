namespace AgentStateProcessor.Domain;

/// <summary>State keys are <c>tenant:id</c>, the shape of the input topic's message key.</summary>
public static class StateKeys
{
    public static string Of(string tenantId, string id) => string.Concat(tenantId, ":", id);

    /// <summary>Splits at the first ':' (agent and DN ids may themselves contain ':').</summary>
    public static bool TrySplit(string key, out string tenantId, out string id)
    {
        var colon = SeparatorOf(key);
        if (colon < 0)
        {
            tenantId = id = "";
            return false;
        }
        tenantId = key[..colon];
        id = key[(colon + 1)..];
        return true;
    }

    /// <summary>
    /// Where <see cref="TrySplit"/> splits <paramref name="key"/>: the first ':', or -1 when the key
    /// is not <c>tenant:id</c> with both parts non-empty. Lets a caller read the parts as spans.
    /// </summary>
    public static int SeparatorOf(string key)
    {
        var colon = key.IndexOf(':');
        return colon <= 0 || colon == key.Length - 1 ? -1 : colon;
    }
}
