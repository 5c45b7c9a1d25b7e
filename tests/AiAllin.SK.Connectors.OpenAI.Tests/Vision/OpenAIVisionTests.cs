using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Vision;

public sealed class OpenAIVisionTests : IAsyncLifetime
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52];
    private OpenAIWireServer _server = null!;

    public async Task InitializeAsync() => _server = await WireServer.StartAsync<OpenAIWireServer>();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("openai")]
    [InlineData("azure")]
    [InlineData("groq")]
    [InlineData("compatible")]
    [InlineData("huggingface")]
    public async Task ImageData_IsSentAsADataUrlImagePart(string flavour)
    {
        _server.Enqueue(ScriptedReply.WithText("A tiny PNG."));
        using var client = CreateClient(flavour);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, [new TextContent("What is this?"), new DataContent(Png, "image/png")])]);

        Assert.Equal("A tiny PNG.", response.Text);
        var content = _server.Requests.Single().Body!["messages"]![0]!["content"]!.AsArray();
        Assert.Equal("text", (string?)content[0]!["type"]);
        Assert.Equal("What is this?", (string?)content[0]!["text"]);
        Assert.Equal("image_url", (string?)content[1]!["type"]);
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(Png), (string?)content[1]!["image_url"]!["url"]);
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("azure")]
    [InlineData("groq")]
    [InlineData("compatible")]
    [InlineData("huggingface")]
    public async Task ImageUrl_IsSentAsAnImageUrlPart_WhenStreaming(string flavour)
    {
        _server.Enqueue(ScriptedReply.WithText("A ", "cat."));
        using var client = CreateClient(flavour);
        var text = string.Empty;

        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, [new TextContent("Describe it."), new UriContent(new Uri("https://example.com/cat.jpg"), "image/jpeg")])]))
        {
            text += update.Text;
        }

        Assert.Equal("A cat.", text);
        var content = _server.Requests.Single().Body!["messages"]![0]!["content"]!.AsArray();
        Assert.Equal("image_url", (string?)content[1]!["type"]);
        Assert.Equal("https://example.com/cat.jpg", (string?)content[1]!["image_url"]!["url"]);
    }

    private IChatClient CreateClient(string flavour)
    {
        const string key = "sk-vision-test-0123456789";
        var endpoint = new Uri(_server.BaseAddress, "v1");
        return flavour switch
        {
            "azure" => AzureOpenAIClientFactory.CreateChatClient(new AzureOpenAIOptions { Endpoint = _server.BaseAddress, ApiKey = key, Deployment = "gpt-4o" }, NullLoggerFactory.Instance),
            "groq" => OpenAIClientFactory.CreateChatClient(new GroqOptions { ApiKey = key, Model = "llama-4-scout", Endpoint = endpoint }, NullLoggerFactory.Instance),
            "huggingface" => OpenAIClientFactory.CreateChatClient(new HuggingFaceRouterOptions { ApiKey = key, Model = "Qwen/Qwen2.5-VL-7B-Instruct", Endpoint = endpoint }, NullLoggerFactory.Instance),
            "compatible" => OpenAIClientFactory.CreateChatClient(new OpenAICompatibleOptions { Name = "vLLM", Model = "qwen2-vl", Endpoint = endpoint }, NullLoggerFactory.Instance),
            _ => OpenAIClientFactory.CreateChatClient(new OpenAIOptions { ApiKey = key, Model = "gpt-4o-mini", Endpoint = endpoint }, NullLoggerFactory.Instance),
        };
    }
}
