namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// One Gemini safety setting: a harm category and the threshold from which content of that category is blocked, sent
/// as the request's <c>safetySettings</c>. Both values are the API's own words and are sent as written.
/// </summary>
/// <remarks>
/// Categories: <c>HARM_CATEGORY_HARASSMENT</c>, <c>HARM_CATEGORY_HATE_SPEECH</c>, <c>HARM_CATEGORY_SEXUALLY_EXPLICIT</c>,
/// <c>HARM_CATEGORY_DANGEROUS_CONTENT</c>, <c>HARM_CATEGORY_CIVIC_INTEGRITY</c>. Thresholds: <c>BLOCK_NONE</c>,
/// <c>BLOCK_ONLY_HIGH</c>, <c>BLOCK_MEDIUM_AND_ABOVE</c>, <c>BLOCK_LOW_AND_ABOVE</c>, <c>OFF</c>.
/// </remarks>
public sealed class GeminiSafetySetting
{
    /// <summary>Gets or sets the harm category, for example <c>HARM_CATEGORY_DANGEROUS_CONTENT</c>.</summary>
    public string Category { get; set; } = string.Empty;

    /// <summary>Gets or sets the threshold, for example <c>BLOCK_ONLY_HIGH</c>.</summary>
    public string Threshold { get; set; } = string.Empty;
}
