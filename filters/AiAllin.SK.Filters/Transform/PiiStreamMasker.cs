namespace AiAllin.SK.Filters.Transform;

/// <summary>
/// Masks PII in text that arrives in chunks: it releases everything that can no longer become part of a match and
/// holds back only the unfinished tail — the last word (matches never span white space) or, for patterns that do,
/// the last <c>maxLength</c> characters — so a match split over chunks is still masked.
/// </summary>
internal sealed class PiiStreamMasker(TransformPolicy policy, int maxLength, bool spanWhiteSpace)
{
    private string _pending = string.Empty;

    /// <summary>Adds a chunk and returns the masked text that is now safe to release (possibly empty).</summary>
    public string Push(string chunk)
    {
        if (chunk.Length == 0)
        {
            return string.Empty;
        }

        var buffer = _pending.Length == 0 ? chunk : string.Concat(_pending, chunk);
        var cut = HoldStart(buffer);

        // A match that reaches the cut may still grow with the next chunk: hold it back whole.
        bool moved;
        do
        {
            moved = false;
            foreach (var pattern in policy.Patterns)
            {
                for (var match = pattern.Match(buffer); match.Success && match.Index < cut; match = match.NextMatch())
                {
                    if (match.Index + match.Length >= cut && match.Index < cut)
                    {
                        cut = match.Index;
                        moved = true;
                    }
                }
            }
        }
        while (moved && cut > 0);

        _pending = buffer[cut..];
        return cut == 0 ? string.Empty : policy.MaskPii(buffer[..cut]);
    }

    /// <summary>Returns the masked rest at the end of the stream.</summary>
    public string Flush()
    {
        var rest = _pending.Length == 0 ? string.Empty : policy.MaskPii(_pending);
        _pending = string.Empty;
        return rest;
    }

    private int HoldStart(string buffer)
    {
        var length = buffer.Length;
        if (spanWhiteSpace)
        {
            return Math.Max(0, length - maxLength);
        }

        var start = length;
        while (start > 0 && !char.IsWhiteSpace(buffer[start - 1]))
        {
            start--;
        }

        return Math.Max(start, length - maxLength);
    }
}
