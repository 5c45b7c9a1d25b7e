namespace AiAllin.SK.Plugins.Memory;

/// <summary>
/// A model-based injection classifier (for example a fine-tuned DeBERTa or an LLM judge) that
/// <see cref="SemanticMemory"/> consults on writes, after the pattern scanner.
/// </summary>
public interface IPromptInjectionClassifier
{
    /// <summary>Classifies <paramref name="text"/>.</summary>
    /// <param name="text">The text about to be stored.</param>
    /// <param name="cancellationToken">Cancels the classification.</param>
    /// <returns><see langword="true"/> when the text is an injection attempt.</returns>
    Task<bool> IsInjectionAsync(string text, CancellationToken cancellationToken);
}
