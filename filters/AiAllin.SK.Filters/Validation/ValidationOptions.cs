using System.Text.RegularExpressions;

namespace AiAllin.SK.Filters.Validation;

/// <summary>Options of the input-validation policy; every rule is off until set.</summary>
public sealed class ValidationOptions
{
    /// <summary>Gets or sets the maximum number of characters of text in one request (all messages, or the rendered SK prompt).</summary>
    public int? MaxPromptCharacters { get; set; }

    /// <summary>
    /// Gets the models a request may use (compared ignoring case); empty allows any. The model is the request's
    /// <c>ChatOptions.ModelId</c>, else the client's default model; a request whose model is unknown is rejected.
    /// </summary>
    public ISet<string> AllowedModels { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the patterns no request text may match (for example prompt-injection phrases).</summary>
    public IList<Regex> BlockedPatterns { get; } = [];

    /// <summary>Throws when a setting is invalid.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public void Validate()
    {
        if (MaxPromptCharacters is <= 0)
        {
            throw new ArgumentException($"{nameof(ValidationOptions)}.{nameof(MaxPromptCharacters)} must be positive (was {MaxPromptCharacters}).");
        }
    }
}
