using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Transform;

/// <summary>Options of the transform policy: request rewriting (system prompt, trimming, custom) and response rewriting (PII masking, custom).</summary>
public sealed class TransformOptions
{
    /// <summary>Gets or sets a system prompt inserted as the first message of every request.</summary>
    public string? SystemPrompt { get; set; }

    /// <summary>
    /// Gets or sets the maximum number of non-system messages sent: older ones are dropped (system messages are always
    /// kept, and a tool result is never sent without the call before it). <see langword="null"/> sends all.
    /// </summary>
    public int? MaxMessages { get; set; }

    /// <summary>Gets or sets a custom request rewrite, run first; it returns the messages to send.</summary>
    public Func<IReadOnlyList<ChatMessage>, ChatOptions?, IEnumerable<ChatMessage>>? RewriteRequest { get; set; }

    /// <summary>Gets or sets a rewrite of a rendered SK prompt, run before the prompt is parsed into messages.</summary>
    public Func<string, string>? RewriteRenderedPrompt { get; set; }

    /// <summary>
    /// Gets or sets a rewrite of response text, run after PII masking on each text piece: the whole text of a
    /// non-streamed response, each text chunk (as released by masking) of a stream — so it must not rely on seeing
    /// whole words or sentences when streaming.
    /// </summary>
    public Func<string, string>? RewriteOutput { get; set; }

    /// <summary>Gets the patterns masked in responses (and in requests when <see cref="MaskPiiInRequests"/>), e.g. <see cref="PiiPatterns.Email"/>.</summary>
    public IList<Regex> PiiPatterns { get; } = [];

    /// <summary>Gets or sets the text that replaces a PII match. Default <c>[redacted]</c>.</summary>
    public string PiiMask { get; set; } = "[redacted]";

    /// <summary>Gets or sets a value indicating whether PII is also masked in the messages sent (and in rendered SK prompts).</summary>
    public bool MaskPiiInRequests { get; set; }

    /// <summary>
    /// Gets or sets the longest PII match expected. Streams hold back at most this many characters: the unfinished
    /// last word (a match never spans white space) or, when a pattern can span white space (see
    /// <see cref="PiiMaySpanWhiteSpace"/>), this many characters. Default 256.
    /// </summary>
    public int MaxPiiLength { get; set; } = 256;

    /// <summary>
    /// Gets or sets a value indicating whether a PII pattern can match across white space (like
    /// <see cref="Transform.PiiPatterns.CardNumber"/>); streams then hold back <see cref="MaxPiiLength"/> characters
    /// instead of only the unfinished last word.
    /// </summary>
    public bool PiiMaySpanWhiteSpace { get; set; }

    /// <summary>Throws when a setting is invalid.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names it.</exception>
    public void Validate()
    {
        if (MaxMessages is <= 0)
        {
            throw new ArgumentException($"{nameof(TransformOptions)}.{nameof(MaxMessages)} must be positive (was {MaxMessages}).");
        }

        if (MaxPiiLength <= 0)
        {
            throw new ArgumentException($"{nameof(TransformOptions)}.{nameof(MaxPiiLength)} must be positive (was {MaxPiiLength}).");
        }

        if (PiiMask is null)
        {
            throw new ArgumentException($"{nameof(TransformOptions)}.{nameof(PiiMask)} must not be null.");
        }
    }
}
