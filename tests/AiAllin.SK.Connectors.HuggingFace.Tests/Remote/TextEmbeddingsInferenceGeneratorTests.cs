using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Testing.Logging;
using AiAllin.SK.Testing.Providers;
using static AiAllin.SK.Connectors.HuggingFace.Tests.Remote.TeiTestKit;

namespace AiAllin.SK.Connectors.HuggingFace.Tests.Remote;

public sealed class TextEmbeddingsInferenceGeneratorTests : IAsyncLifetime
{
    private TextEmbeddingsInferenceWireServer _server = null!;

    public async Task InitializeAsync() => _server = await WireServer.StartAsync<TextEmbeddingsInferenceWireServer>();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Generate_MoreInputsThanTheBatchSize_SendsBatchesWithinTheLimitAndKeepsOrder()
    {
        _server.MaxClientBatchSize = 4;
        _server.Enqueue(Replies(3));
        using var generator = new TextEmbeddingsInferenceGenerator(Embedding(_server, o => o.MaxBatchSize = 4));
        var inputs = Enumerable.Range(0, 10).Select(i => $"text number {i}").ToArray();

        var embeddings = await generator.GenerateAsync(inputs);

        Assert.Equal([4, 4, 2], _server.Requests.Select(r => r.Body!["inputs"]!.AsArray().Count));
        Assert.All(_server.Requests, r => Assert.Equal("/embed", r.Path));
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(DeterministicEmbedding.For(inputs[i], 8), embeddings[i].Vector.ToArray());
        }

        // Tokens from x-compute-tokens, summed over the batches: three words plus two special tokens per text.
        Assert.Equal(50, embeddings.Usage?.InputTokenCount);
    }

    [Fact]
    public async Task Generate_ReadServerInfo_CapsTheBatchAtTheServerLimitReadsInfoOnceAndNamesTheModel()
    {
        _server.MaxClientBatchSize = 3;
        _server.ModelId = "BAAI/bge-base-en-v1.5";
        _server.Enqueue(Replies(1 + 3 + 1));
        using var generator = new TextEmbeddingsInferenceGenerator(Embedding(_server, o => o.ReadServerInfo = true));

        var first = await generator.GenerateAsync(["a", "b", "c", "d", "e", "f", "g"]);
        await generator.GenerateAsync(["h"]);

        Assert.Equal(["/info", "/embed", "/embed", "/embed", "/embed"], _server.Requests.Select(r => r.Path));
        Assert.All(_server.Requests.Skip(1), r => Assert.True(r.Body!["inputs"]!.AsArray().Count <= 3));
        Assert.All(first, e => Assert.Equal("BAAI/bge-base-en-v1.5", e.ModelId));
    }

    [Fact]
    public async Task Generate_WithEveryOption_SendsThemInTeiSpelling()
    {
        _server.MaxInputLength = 4;
        _server.Enqueue(new ScriptedReply());
        using var generator = new TextEmbeddingsInferenceGenerator(Embedding(_server, o =>
        {
            o.Truncate = true;
            o.TruncationDirection = TextTruncationDirection.Left;
            o.Normalize = false;
            o.PromptName = "query";
            o.Dimensions = 16;
        }));

        var embeddings = await generator.GenerateAsync(["one two three four five"]);

        var body = _server.Requests.Single().Body!;
        Assert.True(body["truncate"]!.GetValue<bool>());
        Assert.Equal("Left", body["truncation_direction"]!.GetValue<string>());
        Assert.False(body["normalize"]!.GetValue<bool>());
        Assert.Equal("query", body["prompt_name"]!.GetValue<string>());
        Assert.Equal(16, body["dimensions"]!.GetValue<int>());

        // The server kept the last two tokens of "query: one two three four five" and did not normalise.
        var expected = DeterministicEmbedding.For("four five", 16).Select(v => v * 3).ToArray();
        Assert.Equal(expected, embeddings[0].Vector.ToArray());
    }

    [Fact]
    public async Task Generate_WithoutOptions_SendsOnlyTheInputsSoServerDefaultsApply()
    {
        _server.Enqueue(new ScriptedReply());
        using var generator = new TextEmbeddingsInferenceGenerator(Embedding(_server));

        await generator.GenerateAsync(["hello"]);

        var request = _server.Requests.Single();
        Assert.Equal("""{"inputs":["hello"]}""", request.BodyText);
        Assert.Equal("Bearer " + Key, request.Header("authorization"));
    }

    [Fact]
    public async Task Generate_BatchLargerThanTheServerAllows_SplitsTheRestToTheServersLimitAndKeepsIt()
    {
        var logs = new CollectingLoggerProvider();
        _server.MaxClientBatchSize = 3;
        _server.Enqueue(Replies(1 + 4 + 1));
        using var generator = new TextEmbeddingsInferenceGenerator(Embedding(_server, o => o.MaxBatchSize = 8), logs.CreateFactory());
        var inputs = Enumerable.Range(0, 10).Select(i => $"text {i}").ToArray();

        var embeddings = await generator.GenerateAsync(inputs);
        await generator.GenerateAsync(["a", "b", "c"]);

        Assert.Equal([8, 3, 3, 3, 1, 3], _server.Requests.Select(r => r.Body!["inputs"]!.AsArray().Count));
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(DeterministicEmbedding.For(inputs[i], 8), embeddings[i].Vector.ToArray());
        }

        Assert.Contains(logs.Entries, e => e.Message.Contains("allows 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Generate_413WithoutALimit_IsAPermanentProviderException()
    {
        _server.Enqueue(ScriptedReply.WithError(413, "Validation", "Prompt name `x` was not found in the available prompts"));
        using var generator = new TextEmbeddingsInferenceGenerator(Embedding(_server));

        var exception = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["a", "b"]));

        Assert.Equal(413, (int?)exception.StatusCode);
        Assert.Equal("Validation", exception.ErrorCode);
        Assert.False(exception.IsTransient);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Generate_InputTooLongWithoutTruncate_Throws422FromTheTokenizer()
    {
        _server.MaxInputLength = 3;
        _server.Enqueue(new ScriptedReply());
        using var generator = new TextEmbeddingsInferenceGenerator(Embedding(_server));

        var exception = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["far too many words here"]));

        Assert.Equal(422, (int?)exception.StatusCode);
        Assert.Equal("Tokenizer", exception.ErrorCode);
        Assert.Contains("must have less than 3 tokens", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_Overloaded429_IsTransientWithRetryAfterAndNotWaitedForPastTheCap()
    {
        _server.Enqueue(ScriptedReply.WithError(429, "Overloaded", "Model is overloaded", TimeSpan.FromMinutes(5)), new ScriptedReply());
        using var generator = new TextEmbeddingsInferenceGenerator(Embedding(_server, o => o.MaxRetries = 2));

        var exception = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["x"]));

        Assert.Equal(TimeSpan.FromMinutes(5), exception.RetryAfter);
        Assert.True(exception.IsTransient);
        Assert.Equal("Overloaded", exception.ErrorCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Generate_BackendFailure424_IsNotTransient()
    {
        _server.Enqueue(ScriptedReply.WithError(424, "Backend", "Inference failed"));
        using var generator = new TextEmbeddingsInferenceGenerator(Embedding(_server, o => o.MaxRetries = 2));

        var exception = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["x"]));

        Assert.Equal(424, (int?)exception.StatusCode);
        Assert.False(exception.IsTransient);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Generate_ServerStallsPastTheTimeout_ThrowsATransientProviderExceptionAndReleasesTheConnection()
    {
        _server.Enqueue(new ScriptedReply { StallAfter = 0 });
        using var generator = new TextEmbeddingsInferenceGenerator(Embedding(_server, o => o.Timeout = TimeSpan.FromMilliseconds(500)));

        var exception = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["x"]));

        Assert.Contains("timed out", exception.Message, StringComparison.Ordinal);
        Assert.True(exception.IsTransient);
        Assert.True(await _server.WaitForDisconnectAsync());
    }

    [Fact]
    public async Task Generate_CallerCancels_StaysOperationCanceled()
    {
        _server.Enqueue(new ScriptedReply { StallAfter = 0 });
        using var generator = new TextEmbeddingsInferenceGenerator(Embedding(_server));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(["x"], cancellationToken: cancel.Token));
    }

    [Fact]
    public async Task Generate_NullText_ThrowsNamingTheIndexAndSendsNothing()
    {
        using var generator = new TextEmbeddingsInferenceGenerator(Embedding(_server));

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["fine", null!]));

        Assert.Contains("index 1", exception.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Generate_Failure_KeyNeverInExceptionLogsOrOptions()
    {
        var logs = new CollectingLoggerProvider();
        _server.Enqueue(ScriptedReply.WithError(401, "Unauthorized", "bad token " + Key));
        var options = Embedding(_server);
        using var generator = new TextEmbeddingsInferenceGenerator(options, logs.CreateFactory());

        var exception = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["x"]));

        Assert.DoesNotContain(Key, exception.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("RequestFailed", string.Join(' ', logs.Entries.Select(e => e.EventId.Name)), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithoutEndpoint_FailsNamingTheSettingAndVariable()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => new TextEmbeddingsInferenceGenerator(new TextEmbeddingsInferenceOptions()));

        Assert.Contains("AiAllin:TextEmbeddingsInference:Endpoint", exception.Message, StringComparison.Ordinal);
        Assert.Contains("TEI_URL", exception.Message, StringComparison.Ordinal);
    }
}
