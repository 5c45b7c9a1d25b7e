using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.HuggingFace.Tests;

public sealed class LocalEmbeddingGeneratorLoggingTests
{
    [Fact]
    public async Task Generate_LogsTheModelLoadOnce_AndEachCall()
    {
        using var loggerFactory = new CapturingLoggerFactory();
        using var generator = new LocalEmbeddingGenerator(loggerFactory: loggerFactory);

        await generator.GenerateAsync(["first", "second"]);
        await generator.GenerateAsync(["third"]);

        var loaded = Assert.Single(loggerFactory.Entries, e => e.EventId.Id == 1101);
        Assert.Equal(LogLevel.Information, loaded.Level);
        Assert.Contains("all-MiniLM-L6-v2 (384 dimensions)", loaded.Message, StringComparison.Ordinal);

        var calls = loggerFactory.Entries.Where(e => e.EventId.Id == 1100).ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal(LogLevel.Debug, c.Level));
        Assert.Contains("Generated 2 embeddings (6 tokens)", calls[0].Message, StringComparison.Ordinal);
    }
}
