namespace AiAllin.SK.Plugins.Memory;

/// <summary>Splits long texts into overlapping chunks at word boundaries, keeping each chunk's offset.</summary>
internal static class TextChunker
{
    public static List<(int Offset, string Text)> Split(string text, int size, int overlap)
    {
        var chunks = new List<(int, string)>();
        if (text.Length <= size)
        {
            chunks.Add((0, text));
            return chunks;
        }

        var start = 0;
        while (start < text.Length)
        {
            var end = Math.Min(start + size, text.Length);
            if (end < text.Length)
            {
                // Prefer to cut after a sentence or at whitespace in the last quarter, so words stay whole.
                var floor = start + (size * 3 / 4);
                var cut = LastBreak(text, floor, end);
                if (cut > floor)
                {
                    end = cut;
                }
            }

            chunks.Add((start, text[start..end]));
            if (end >= text.Length)
            {
                break;
            }

            var next = Math.Max(end - overlap, start + 1);
            while (next < end && next > start + 1 && !char.IsWhiteSpace(text[next - 1]))
            {
                next--;
            }

            start = next;
        }

        return chunks;
    }

    private static int LastBreak(string text, int floor, int end)
    {
        for (var i = end - 1; i > floor; i--)
        {
            if (text[i - 1] is '.' or '!' or '?' or '\n' && char.IsWhiteSpace(text[i]))
            {
                return i;
            }
        }

        for (var i = end - 1; i > floor; i--)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
