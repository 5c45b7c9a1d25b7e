using System.Text.RegularExpressions;

namespace AiAllin.SK.Filters.Logging;

/// <summary>Options of the logging policy.</summary>
public sealed class LoggingOptions
{
    /// <summary>
    /// Gets or sets a value indicating whether prompt, response, argument and result bodies are logged (redacted and
    /// shortened). Off by default: only sizes, durations, token counts and names are logged.
    /// </summary>
    public bool LogBodies { get; set; }

    /// <summary>Gets or sets the maximum number of characters of one logged body; longer bodies are cut. Default 4000.</summary>
    public int MaxBodyLength { get; set; } = 4000;

    /// <summary>
    /// Gets extra patterns redacted from everything logged (bodies and error messages), for example
    /// <see cref="Transform.PiiPatterns.Email"/>. API keys and bearer tokens are always redacted.
    /// </summary>
    public IList<Regex> RedactionPatterns { get; } = [];

    /// <summary>Gets literal secrets (for example the configured API keys) redacted from everything logged.</summary>
    public IList<string> Secrets { get; } = [];

    /// <summary>Throws when a setting is invalid.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public void Validate()
    {
        if (MaxBodyLength <= 0)
        {
            throw new ArgumentException($"{nameof(LoggingOptions)}.{nameof(MaxBodyLength)} must be positive (was {MaxBodyLength}).");
        }
    }
}
