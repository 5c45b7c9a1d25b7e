using System.Text;

namespace AiAllin.SK.Plugins.Memory.Tests.TestSupport;

/// <summary>Reads the injection and benign corpora in Data/ (<c>source TAB text</c>, escaped, <c>#</c> comments).</summary>
internal static class Corpus
{
    public static IReadOnlyList<(string Source, string Text)> Injections { get; } = Load("injections.tsv");

    public static IReadOnlyList<(string Source, string Text)> Benign { get; } = Load("benign.tsv");

    private static List<(string, string)> Load(string file)
    {
        var rows = new List<(string, string)>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", file), Encoding.UTF8))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            rows.Add((line[..tab], Unescape(line[(tab + 1)..])));
        }

        return rows;
    }

    private static string Unescape(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
                builder.Append(value[i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', _ => value[i] });
            }
            else
            {
                builder.Append(value[i]);
            }
        }

        return builder.ToString();
    }
}
