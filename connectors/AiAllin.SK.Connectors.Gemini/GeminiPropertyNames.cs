namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// The keys under which the Gemini client reports Gemini's own words in <c>ChatResponse.AdditionalProperties</c> and
/// <c>ChatResponseUpdate.AdditionalProperties</c>, beside the portable <c>ChatFinishReason</c>.
/// </summary>
/// <remarks>
/// A blocked answer (<c>SAFETY</c>, <c>RECITATION</c>, <c>BLOCKLIST</c>, <c>PROHIBITED_CONTENT</c>, <c>SPII</c>,
/// <c>IMAGE_SAFETY</c>...) ends with <c>ChatFinishReason.ContentFilter</c> and the exact reason under
/// <see cref="FinishReason"/>; a blocked prompt (no candidates, <c>promptFeedback.blockReason</c>) also ends with
/// <c>ContentFilter</c> and its reason under <see cref="BlockReason"/>. This is what M.E.AI callers already check for
/// filtered content, and keeps any text delivered before the block.
/// </remarks>
public static class GeminiPropertyNames
{
    /// <summary>The candidate's <c>finishReason</c> as Gemini sent it, for example <c>RECITATION</c>.</summary>
    public const string FinishReason = "gemini.finish_reason";

    /// <summary>The candidate's <c>finishMessage</c>, when Gemini sent one.</summary>
    public const string FinishMessage = "gemini.finish_message";

    /// <summary>The prompt's <c>promptFeedback.blockReason</c>, for example <c>SAFETY</c> or <c>PROHIBITED_CONTENT</c>.</summary>
    public const string BlockReason = "gemini.block_reason";

    /// <summary>The safety categories that blocked or were rated above negligible, as <c>CATEGORY=PROBABILITY</c> strings.</summary>
    public const string SafetyRatings = "gemini.safety_ratings";
}
