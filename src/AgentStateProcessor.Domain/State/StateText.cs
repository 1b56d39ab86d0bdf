namespace AgentStateProcessor.Domain;

/// <summary>Text fields of a state that an event may update.</summary>
internal static class StateText
{
    /// <summary>
    /// <paramref name="incoming"/> when the event gives one, else <paramref name="known"/>; when the two
    /// are equal, the instance the state already holds, so a state does not keep a fresh copy of each
    /// event's text (every record brings its own strings).
    /// </summary>
    public static string? Update(string? known, string? incoming) =>
        incoming is null || string.Equals(incoming, known, StringComparison.Ordinal) ? known : incoming;
}
