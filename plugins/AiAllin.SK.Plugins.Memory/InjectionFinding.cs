namespace AiAllin.SK.Plugins.Memory;

/// <summary>One match of the injection scanner.</summary>
/// <param name="Rule">The rule's name, for example <c>override.en</c> or <c>hidden.tags</c>.</param>
/// <param name="Category">The kind of content.</param>
/// <param name="Index">Where the match starts in the text with hidden characters removed.</param>
/// <param name="Length">The match's length.</param>
public sealed record InjectionFinding(string Rule, InjectionCategory Category, int Index, int Length);
