using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Azure;

/// <summary>Azure's content filter: verdicts surfaced as typed results, filtered completions, refused prompts.</summary>
public sealed class AzureContentFilterTests : IAsyncLifetime
{
    private const string Key = "azure-key-0123456789abcdef0123456789abcdef";
    private OpenAIWireServer _server = null!;

    public async Task InitializeAsync() => _server = await WireServer.StartAsync<OpenAIWireServer>();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetResponse_CarriesPromptAndCompletionVerdictsWhenNothingIsFiltered()
    {
        _server.Enqueue(Filtered(ScriptedReply.WithText("A calm answer."), true));
        using var client = Client();

        var response = await client.GetResponseAsync("hello");

        Assert.Equal("A calm answer.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        var completion = AzureOpenAIContentFilterResults.ForCompletion(response.AdditionalProperties);
        Assert.NotNull(completion);
        Assert.False(completion.IsFiltered);
        Assert.Equal(new AzureOpenAIContentFilterCategory(false, "safe", null), completion.Categories["hate"]);
        Assert.Equal(4, completion.Categories.Count);
        var prompt = Assert.Single(AzureOpenAIContentFilterResults.ForPrompts(response.AdditionalProperties));
        Assert.Equal(0, prompt.PromptIndex);
        Assert.False(prompt.IsFiltered);
        Assert.Equal("safe", prompt.Categories["violence"].Severity);
    }

    [Fact]
    public async Task GetResponse_FilteredCompletion_ReportsContentFilterFinishAndTheCategory()
    {
        _server.Enqueue(Filtered(ScriptedReply.WithText("The story began") with { FinishReason = "content_filter" }, "violence"));
        using var client = Client();

        var response = await client.GetResponseAsync("tell me a story");

        Assert.Equal(ChatFinishReason.ContentFilter, response.FinishReason);
        Assert.Equal("The story began", response.Text);
        var completion = AzureOpenAIContentFilterResults.ForCompletion(response.AdditionalProperties);
        Assert.NotNull(completion);
        Assert.True(completion.IsFiltered);
        Assert.Equal(new AzureOpenAIContentFilterCategory(true, "high", null), completion.Categories["violence"]);
        Assert.False(completion.Categories["hate"].Filtered);
        Assert.Contains("violence (high) filtered", completion.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponse_DetectorVerdict_IsReadWithItsDetectedFlag()
    {
        _server.Enqueue(Filtered(ScriptedReply.WithText("Sorry") with { FinishReason = "content_filter" }, "protected_material_text"));
        using var client = Client();

        var response = await client.GetResponseAsync("print the lyrics");

        var completion = AzureOpenAIContentFilterResults.ForCompletion(response.AdditionalProperties);
        Assert.NotNull(completion);
        Assert.Equal(new AzureOpenAIContentFilterCategory(true, null, true), completion.Categories["protected_material_text"]);
    }

    [Fact]
    public async Task Streaming_WithFilterAnnotations_DeliversEveryTokenAndTheVerdictsWithoutFailing()
    {
        _server.Enqueue(Filtered(ScriptedReply.WithText("Once ", "upon ", "a ", "time"), true));
        using var client = Client();

        var updates = await CollectAsync(client.GetStreamingResponseAsync("story"));

        Assert.Equal("Once upon a time", string.Concat(updates.Select(u => u.Text)));
        var promptUpdate = Assert.Single(updates, u => AzureOpenAIContentFilterResults.ForPrompts(u.AdditionalProperties).Count > 0);
        Assert.Equal(string.Empty, promptUpdate.Text);
        Assert.True(updates.IndexOf(promptUpdate) < updates.FindIndex(u => u.Text.Length > 0), "the prompt verdicts arrive before the first token");
        Assert.All(
            updates.Where(u => u.Text.Length > 0),
            u => Assert.False(AzureOpenAIContentFilterResults.ForCompletion(u.AdditionalProperties)?.IsFiltered ?? true));
        var response = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(16, response.Usage?.InputTokenCount + response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task Streaming_FilteredCompletion_EndsWithContentFilterAndTheFilteredCategory()
    {
        _server.Enqueue(Filtered(ScriptedReply.WithText("The ", "fight ") with { FinishReason = "content_filter" }, "violence"));
        using var client = Client();

        var updates = await CollectAsync(client.GetStreamingResponseAsync("story"));

        Assert.Equal("The fight ", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.ContentFilter, updates.Last(u => u.FinishReason is not null).FinishReason);
        var verdict = updates.Select(u => AzureOpenAIContentFilterResults.ForCompletion(u.AdditionalProperties)).Last(r => r is not null);
        Assert.True(verdict!.IsFiltered);
        Assert.True(verdict.Categories["violence"].Filtered);
        var merged = updates.ToChatResponse();
        Assert.Equal(ChatFinishReason.ContentFilter, merged.FinishReason);

        // Merged, the verdicts travel with the message (the updates carry its id); the latest verdict wins.
        Assert.True(AzureOpenAIContentFilterResults.ForCompletion(merged.Messages[^1].AdditionalProperties)?.IsFiltered);
    }

    [Fact]
    public async Task GetResponse_PromptRefusedByTheFilter_ThrowsProviderExceptionWithContentFilterCode()
    {
        _server.Enqueue(Filtered(ScriptedReply.WithError(400, "content_filter", "The response was filtered due to the prompt triggering Azure OpenAI's content management policy."), "hate"), ScriptedReply.WithText("must not be reached"));
        using var client = Client();

        var exception = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("something hateful"));

        Assert.Equal(400, (int?)exception.StatusCode);
        Assert.Equal("content_filter", exception.ErrorCode);
        Assert.Contains("content management policy", exception.Message, StringComparison.Ordinal);
        Assert.False(exception.IsTransient);
        var verdicts = Assert.IsType<AzureOpenAIContentFilterResults>(exception.Data[AzureOpenAIContentFilterResults.ExceptionDataKey]);
        Assert.True(verdicts.Categories["hate"].Filtered);
        Assert.Equal("high", verdicts.Categories["hate"].Severity);
        Assert.False(verdicts.Categories["violence"].Filtered);
        Assert.Single(_server.Requests);
        Assert.DoesNotContain(Key, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streaming_PromptRefusedByTheFilter_ThrowsProviderExceptionBeforeAnyUpdate()
    {
        _server.Enqueue(Filtered(ScriptedReply.WithError(400, "content_filter", "The response was filtered due to the prompt triggering Azure OpenAI's content management policy."), "self_harm"));
        using var client = Client();
        var received = 0;

        var exception = await Assert.ThrowsAsync<ProviderException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("something harmful"))
            {
                received++;
            }
        });

        Assert.Equal(0, received);
        Assert.Equal(400, (int?)exception.StatusCode);
        Assert.Equal("content_filter", exception.ErrorCode);
        Assert.True(Assert.IsType<AzureOpenAIContentFilterResults>(exception.Data[AzureOpenAIContentFilterResults.ExceptionDataKey]).Categories["self_harm"].Filtered);
    }

    private static ScriptedReply Filtered(ScriptedReply reply, object annotation)
        => reply with { Extras = new Dictionary<string, object?> { [OpenAIWireServer.AzureContentFilterExtra] = annotation } };

    private static async Task<List<ChatResponseUpdate>> CollectAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }

    private IChatClient Client()
        => AzureOpenAIClientFactory.CreateChatClient(new AzureOpenAIOptions { Endpoint = _server.BaseAddress, ApiKey = Key, Deployment = "guarded" });
}
