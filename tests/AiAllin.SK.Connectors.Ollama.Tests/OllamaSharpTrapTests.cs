using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using OllamaSharp;
using static AiAllin.SK.Connectors.Ollama.Tests.OllamaTestServer;

namespace AiAllin.SK.Connectors.Ollama.Tests;

// What raw OllamaSharp 5.5.2 does with the same server lines, next to what OllamaChatClient does. These pin down why
// the connector reads /api/chat itself; when an OllamaSharp upgrade changes one, the test says so.
public sealed class OllamaSharpTrapTests
{
    [Fact]
    public async Task ErrorLineMidStream_RawOllamaSharpDoesNotRaiseIt_OurClientThrows()
    {
        await using var server = await StartAsync();
        var reply = ScriptedReply.WithText("one ", "two ") with { ErrorEventAfter = 1, ErrorEventMessage = "model runner crashed" };
        server.Enqueue(reply, reply);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var raw = new OllamaApiClient(http, Model);
        using var ours = new OllamaChatClient(Options(server));

        var rawOutcome = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in ((IChatClient)raw).GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()))
            {
                _ = update;
            }
        });
        var ourOutcome = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in ours.GetStreamingResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard()))
            {
                _ = update;
            }
        });

        Assert.False(rawOutcome?.Message.Contains("model runner crashed", StringComparison.Ordinal) == true, $"OllamaSharp now reports the error line: {rawOutcome}");
        var providerException = Assert.IsAssignableFrom<Core.ProviderException>(ourOutcome);
        Assert.Equal("model runner crashed", providerException.ProviderMessage);
    }

    [Fact]
    public async Task ToolCallIds_RawOllamaSharpReplacesThem_OurClientKeepsThem()
    {
        await using var server = await StartAsync();
        var reply = ScriptedReply.WithToolCalls(new ScriptedToolCall("call_server_1", "f", "{\"a\":1}"));
        server.Enqueue(reply, reply);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var raw = new OllamaApiClient(http, Model);
        using var ours = new OllamaChatClient(Options(server));

        var rawResponse = await ((IChatClient)raw).GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard());
        var ourResponse = await ours.GetResponseAsync([new(ChatRole.User, "hi")], cancellationToken: Guard());

        var rawCall = rawResponse.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
        var ourCall = ourResponse.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Single();
        Assert.NotEqual("call_server_1", rawCall.CallId);
        Assert.Equal("call_server_1", ourCall.CallId);
    }
}
