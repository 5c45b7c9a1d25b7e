namespace AiAllin.SK.Testing.Providers;

/// <summary>Token counts the scripted model reports.</summary>
/// <param name="InputTokens">Prompt tokens.</param>
/// <param name="OutputTokens">Completion tokens.</param>
public sealed record ScriptedUsage(int InputTokens, int OutputTokens)
{
    /// <summary>Gets the sum of both counts.</summary>
    public int TotalTokens => InputTokens + OutputTokens;
}
