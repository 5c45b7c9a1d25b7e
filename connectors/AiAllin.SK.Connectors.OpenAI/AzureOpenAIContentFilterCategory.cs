namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>One Azure OpenAI content-filter verdict, for a harm category (hate, sexual, violence, self_harm) or a detector (jailbreak, profanity, protected material, blocklists).</summary>
/// <param name="Filtered">Whether the content was blocked for this category.</param>
/// <param name="Severity">The severity for harm categories: <c>safe</c>, <c>low</c>, <c>medium</c> or <c>high</c>; <see langword="null"/> for detectors.</param>
/// <param name="Detected">Whether a detector fired; <see langword="null"/> for harm categories.</param>
public sealed record AzureOpenAIContentFilterCategory(bool Filtered, string? Severity, bool? Detected);
