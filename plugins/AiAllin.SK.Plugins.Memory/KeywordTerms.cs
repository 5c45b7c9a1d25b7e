using System.Collections.Frozen;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>The lower-cased words keyword search matches on.</summary>
internal static class KeywordTerms
{
    public const int MaxRecordTerms = 512;

    public const int MaxQueryTerms = 16;

    private const int MaxTermLength = 40;

    private static readonly FrozenSet<string> StopWords = FrozenSet.ToFrozenSet(
    [
        "a", "an", "and", "are", "as", "at", "be", "by", "do", "does", "for", "from", "has", "have", "how", "i", "in", "is",
        "it", "its", "me", "my", "of", "on", "or", "our", "that", "the", "this", "to", "was", "we", "were", "what", "when",
        "where", "which", "who", "why", "will", "with", "you", "your",
    ], StringComparer.Ordinal);

    public static string[] Extract(string text, int max)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= text.Length && terms.Count < max; i++)
        {
            var isWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWord && start < 0)
            {
                start = i;
            }
            else if (!isWord && start >= 0)
            {
                var length = i - start;
                if (length <= MaxTermLength)
                {
                    var term = text.Substring(start, length).ToLowerInvariant();
                    if (!StopWords.Contains(term))
                    {
                        terms.Add(term);
                    }
                }

                start = -1;
            }
        }

        return [.. terms];
    }
}
