namespace AiAllin.SK.Quickstart;

/// <summary>Splits the Markdown articles shipped with the sample into paragraph chunks.</summary>
public static class DocumentLoader
{
    public static List<DocChunk> Load(string folder)
    {
        var chunks = new List<DocChunk>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.md").Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(path);
            var title = lines.FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal))?[2..] ?? Path.GetFileNameWithoutExtension(path);
            var paragraphs = string.Join('\n', lines.Where(l => !l.StartsWith('#')))
                .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            for (var i = 0; i < paragraphs.Length; i++)
            {
                chunks.Add(new DocChunk
                {
                    Id = $"{Path.GetFileNameWithoutExtension(path)}-{i + 1}",
                    Article = title,
                    Text = paragraphs[i].ReplaceLineEndings(" "),
                });
            }
        }

        return chunks;
    }
}
