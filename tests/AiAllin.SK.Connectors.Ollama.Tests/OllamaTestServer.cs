using AiAllin.SK.Testing.Providers;

namespace AiAllin.SK.Connectors.Ollama.Tests;

/// <summary>Starts an Ollama wire server and makes clients for it.</summary>
internal static class OllamaTestServer
{
    public const string Model = "llama3.2:latest";

    public static Task<OllamaWireServer> StartAsync() => Testing.Providers.WireServer.StartAsync<OllamaWireServer>();

    public static OllamaOptions Options(OllamaWireServer server, Action<OllamaOptions>? configure = null)
    {
        var options = new OllamaOptions { Endpoint = server.BaseAddress, Model = Model, MaxRetries = 0 };
        configure?.Invoke(options);
        return options;
    }

    public static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
