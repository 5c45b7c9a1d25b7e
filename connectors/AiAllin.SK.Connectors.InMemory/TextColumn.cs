namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// Term statistics of one full-text indexed property, kept up to date on every write so that a hybrid
/// search scores BM25 without tokenizing the stored text again.
/// </summary>
internal sealed class TextColumn
{
    private Dictionary<string, int>?[] _terms = [];
    private int[] _lengths = [];

    public long TotalLength { get; private set; }

    public int DocumentCount { get; private set; }

    public double AverageLength => DocumentCount == 0 ? 0 : (double)TotalLength / DocumentCount;

    public void Resize(int capacity)
    {
        Array.Resize(ref _terms, capacity);
        Array.Resize(ref _lengths, capacity);
    }

    public int Length(int slot) => _lengths[slot];

    public int TermFrequency(int slot, string term)
        => _terms[slot] is { } terms && terms.TryGetValue(term, out var count) ? count : 0;

    public void Set(int slot, string? text)
    {
        Clear(slot);
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var terms = new Dictionary<string, int>(StringComparer.Ordinal);
        var length = 0;
        foreach (var token in Tokenize(text))
        {
            terms[token] = terms.GetValueOrDefault(token) + 1;
            length++;
        }

        _terms[slot] = terms;
        _lengths[slot] = length;
        TotalLength += length;
        DocumentCount++;
    }

    public void Clear(int slot)
    {
        if (_terms[slot] is not null)
        {
            TotalLength -= _lengths[slot];
            DocumentCount--;
            _terms[slot] = null;
            _lengths[slot] = 0;
        }
    }

    /// <summary>Splits text into lower-case runs of letters and digits.</summary>
    public static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var isWordChar = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (isWordChar && start < 0)
            {
                start = i;
            }
            else if (!isWordChar && start >= 0)
            {
                tokens.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }

        return tokens;
    }
}
