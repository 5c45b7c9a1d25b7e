using AiAllin.SK.Testing.Providers;

namespace AiAllin.SK.Connectors.HuggingFace.Tests.Remote;

/// <summary>Shared settings of the TEI and Inference API tests.</summary>
internal static class TeiTestKit
{
    public const string Key = "hf_testkey5b4a39281706f5e4d3c2b1a0";

    public static TextEmbeddingsInferenceOptions Embedding(WireServer server, Action<TextEmbeddingsInferenceOptions>? configure = null)
    {
        var options = new TextEmbeddingsInferenceOptions { Endpoint = server.BaseAddress, ApiKey = Key, MaxRetries = 0 };
        configure?.Invoke(options);
        return options;
    }

    public static TextEmbeddingsInferenceRerankerOptions Reranker(WireServer server, Action<TextEmbeddingsInferenceRerankerOptions>? configure = null)
    {
        var options = new TextEmbeddingsInferenceRerankerOptions { Endpoint = server.BaseAddress, ApiKey = Key, MaxRetries = 0 };
        configure?.Invoke(options);
        return options;
    }

    public static HuggingFaceInferenceOptions Inference(WireServer server, Action<HuggingFaceInferenceOptions>? configure = null)
    {
        var options = new HuggingFaceInferenceOptions { Endpoint = new Uri(server.BaseAddress, "hf-inference/"), ApiKey = Key, Model = "sentence-transformers/all-MiniLM-L6-v2", MaxRetries = 0 };
        configure?.Invoke(options);
        return options;
    }

    public static ScriptedReply[] Replies(int count) => [.. Enumerable.Range(0, count).Select(_ => new ScriptedReply())];
}
