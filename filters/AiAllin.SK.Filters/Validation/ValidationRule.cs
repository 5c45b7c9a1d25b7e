namespace AiAllin.SK.Filters.Validation;

/// <summary>The input-validation rule that rejected a request.</summary>
public enum ValidationRule
{
    /// <summary>The prompt is longer than <see cref="ValidationOptions.MaxPromptCharacters"/>.</summary>
    MaxPromptSize,

    /// <summary>The model is not in <see cref="ValidationOptions.AllowedModels"/>.</summary>
    AllowedModels,

    /// <summary>The prompt matches one of <see cref="ValidationOptions.BlockedPatterns"/>.</summary>
    BlockedPattern,
}
