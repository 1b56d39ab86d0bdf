namespace AgentStateProcessor.Domain;

/// <summary>State keys are <c>tenant:id</c>, the shape of the input topic's message key.</summary>
public static class StateKeys
{
    public static string Of(string tenantId, string id) => string.Concat(tenantId, ":", id);

    /// <summary>Splits at the first ':' (agent and DN ids may themselves contain ':').</summary>
    public static bool TrySplit(string key, out string tenantId, out string id)
    {
        var colon = key.IndexOf(':');
        if (colon <= 0 || colon == key.Length - 1)
        {
            tenantId = id = "";
            return false;
        }
        tenantId = key[..colon];
        id = key[(colon + 1)..];
        return true;
    }
}
