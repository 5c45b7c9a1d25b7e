namespace AiAllin.SK.Quickstart;

/// <summary>Console output of the demo: a banner, questions and ranked hits with score bars.</summary>
public static class Ui
{
    private static readonly bool Colour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    public static void Banner(string title, string subtitle)
    {
        Write(ConsoleColor.Cyan, $"\n  {title}\n");
        Write(ConsoleColor.DarkGray, $"  {subtitle}\n\n");
    }

    public static void Line(string text) => Console.WriteLine(text);

    public static void Question(string question) => Write(ConsoleColor.Yellow, $"\n? {question}\n");

    public static void Hits(string label, IEnumerable<(double Score, string Article, string Text)> hits, TimeSpan elapsed)
    {
        Write(ConsoleColor.DarkGray, $"  {label}  ({elapsed.TotalMilliseconds:0.0} ms)\n");
        var ranked = hits.ToList();
        // Bars are relative to the best hit: cosine scores and fused rank scores live on different scales.
        var best = ranked.Count == 0 ? 1 : Math.Max(ranked.Max(h => h.Score), double.Epsilon);
        foreach (var (score, article, text) in ranked)
        {
            var bar = new string('#', (int)Math.Round(Math.Clamp(score / best, 0, 1) * 20)).PadRight(20, '.');
            Write(ConsoleColor.Green, $"    {score,6:0.000} {bar} ");
            Console.WriteLine($"{article}: {Shorten(text, 90)}");
        }
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private static void Write(ConsoleColor colour, string text)
    {
        if (Colour)
        {
            Console.ForegroundColor = colour;
        }

        Console.Write(text);
        if (Colour)
        {
            Console.ResetColor();
        }
    }
}
