using System.Net.Http.Headers;
using AiAllin.SK.Connectors.Core.Http;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.Ollama;

/// <summary>Builds the one <see cref="HttpClient"/> a client and its OllamaSharp <c>OllamaApiClient</c> share.</summary>
internal static class OllamaHttp
{
    // Loading a large model can take minutes before the first byte; the stream itself has no time limit after that.
    public const string ProviderName = "Ollama";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Creates the client: errors mapped to <c>ProviderException</c> (outermost), then the retry contract
    /// (<see cref="ProviderRetryHandler"/>), then the transport. OllamaSharp has no retry loop of its own.
    /// </summary>
    public static HttpClient Create(OllamaOptions options, ILoggerFactory loggerFactory, HttpMessageHandler? innerHandler)
    {
        var retry = new ProviderRetryHandler(OllamaHttp.ProviderName, options, loggerFactory.CreateLogger(typeof(OllamaHttp).Namespace!))
        {
            InnerHandler = innerHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };
        var http = new HttpClient(new ProviderErrorHandler(ProviderName, options.ApiKey) { InnerHandler = retry }, disposeHandler: innerHandler is null)
        {
            BaseAddress = options.EffectiveEndpoint,
            Timeout = options.Timeout ?? DefaultTimeout,
        };
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey.Trim());
        }

        return http;
    }
}
