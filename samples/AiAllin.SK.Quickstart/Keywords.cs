namespace AiAllin.SK.Quickstart;

/// <summary>Picks the content words of a question for the keyword half of hybrid search.</summary>
public static class Keywords
{
    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "and", "are", "be", "been", "can", "do", "does", "for", "from", "has", "have", "how", "i", "in",
        "is", "it", "long", "middle", "my", "of", "on", "or", "something", "the", "to", "what", "when", "where",
        "which", "who", "why", "with", "you", "now", "days", "goes", "less", "far", "outside", "switch", "send",
    };

    public static List<string> From(string question) =>
        question.Split([' ', ',', '?', '.', '!', ';', ':'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.ToLowerInvariant())
            .Where(w => w.Length > 2 && !StopWords.Contains(w))
            .Distinct()
            .ToList();
}
