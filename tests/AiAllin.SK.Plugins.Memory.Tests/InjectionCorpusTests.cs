using AiAllin.SK.Plugins.Memory.Tests.TestSupport;
using Xunit.Abstractions;

namespace AiAllin.SK.Plugins.Memory.Tests;

/// <summary>The scanner against public injection strings and benign look-alikes; fails below the published bars.</summary>
public sealed class InjectionCorpusTests(ITestOutputHelper output)
{
    private const double MinDetection = 0.90;
    private const double MaxFalsePositives = 0.05;

    [Fact]
    public void Scanner_OnThePublicCorpus_DetectsAtLeast90Percent_WithAtMost5PercentFalsePositives()
    {
        var scanner = new PromptInjectionScanner();
        Assert.True(Corpus.Injections.Count >= 150, $"only {Corpus.Injections.Count} injection strings");
        Assert.True(Corpus.Benign.Count >= 150, $"only {Corpus.Benign.Count} benign strings");

        var missed = Corpus.Injections.Where(r => !scanner.Scan(r.Text).IsSuspicious).ToList();
        var flagged = Corpus.Benign.Where(r => scanner.Scan(r.Text).IsSuspicious).ToList();
        var detection = 1 - ((double)missed.Count / Corpus.Injections.Count);
        var falsePositives = (double)flagged.Count / Corpus.Benign.Count;

        output.WriteLine($"detection {detection:P1} ({Corpus.Injections.Count - missed.Count}/{Corpus.Injections.Count}), " +
            $"false positives {falsePositives:P1} ({flagged.Count}/{Corpus.Benign.Count})");
        foreach (var (source, text) in missed)
        {
            output.WriteLine($"MISSED [{source}] {text}");
        }

        foreach (var (source, text) in flagged)
        {
            output.WriteLine($"FLAGGED [{source}] {string.Join(",", scanner.Scan(text).Rules)} {text}");
        }

        Assert.True(detection >= MinDetection, $"detection {detection:P1} is below {MinDetection:P0}");
        Assert.True(falsePositives <= MaxFalsePositives, $"false positives {falsePositives:P1} are above {MaxFalsePositives:P0}");
    }

    [Fact]
    public void Corpus_EveryInjectionLineNamesASourceListedInTheHeader()
    {
        var header = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "injections.tsv")).TakeWhile(l => l.StartsWith('#')).ToList();
        var sources = Corpus.Injections.Select(r => r.Source).Distinct();

        Assert.All(sources, s => Assert.Contains(header, h => h.StartsWith("# " + s + " ", StringComparison.Ordinal)));
    }
}
