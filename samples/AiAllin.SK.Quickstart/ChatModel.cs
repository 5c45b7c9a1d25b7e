using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;

namespace AiAllin.SK.Quickstart;

/// <summary>
/// The chat model the quickstart streams its answer from, when one is configured: <c>OPENAI_API_KEY</c>, and
/// optionally <c>OPENAI_BASE_URL</c> (any OpenAI-compatible server: Groq, LM Studio, vLLM, llama.cpp...)
/// and <c>OPENAI_MODEL</c>.
/// </summary>
public sealed class ChatModel
{
    private readonly string _apiKey;

    private ChatModel(string apiKey, string model, Uri? endpoint)
    {
        _apiKey = apiKey;
        Model = model;
        Endpoint = endpoint;
    }

    public string Model { get; }

    public Uri? Endpoint { get; }

    public static ChatModel? FromEnvironment()
    {
        var key = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }

        var baseUrl = Environment.GetEnvironmentVariable("OPENAI_BASE_URL");
        var model = Environment.GetEnvironmentVariable("OPENAI_MODEL");
        return new ChatModel(key, string.IsNullOrWhiteSpace(model) ? "gpt-4o-mini" : model,
            string.IsNullOrWhiteSpace(baseUrl) ? null : new Uri(baseUrl));
    }

    public IChatClient CreateChatClient()
    {
        var options = new OpenAIClientOptions();
        if (Endpoint is not null)
        {
            options.Endpoint = Endpoint;
        }

        return new OpenAI.Chat.ChatClient(Model, new ApiKeyCredential(_apiKey), options).AsIChatClient();
    }

    public override string ToString() => Endpoint is null ? Model : $"{Model} at {Endpoint.Host}:{Endpoint.Port}";
}
