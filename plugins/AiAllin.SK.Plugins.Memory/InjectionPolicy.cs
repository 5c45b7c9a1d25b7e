namespace AiAllin.SK.Plugins.Memory;

/// <summary>What happens to text the injection scanner flags.</summary>
public enum InjectionPolicy
{
    /// <summary>The text is kept as it is; the findings are recorded with it (and shown as provenance in prompts).</summary>
    Flag = 0,

    /// <summary>Hidden characters are removed and each flagged passage is replaced by a marker naming the rule.</summary>
    Neutralize = 1,

    /// <summary>Writes fail with <see cref="PromptInjectionException"/>; reads leave the memory out.</summary>
    Refuse = 2,
}
