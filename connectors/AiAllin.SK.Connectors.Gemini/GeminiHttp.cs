using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>Builds the <see cref="HttpClient"/> of a Gemini client and sends its JSON requests.</summary>
internal static class GeminiHttp
{
    public const string ProviderName = "Gemini";

    // A thinking model can work for minutes before a non-streamed answer; streams are not limited after their headers.
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Creates the client: errors mapped to <see cref="ProviderException"/> (outermost), then the retry contract
    /// (<see cref="ProviderRetryHandler"/>), then Gemini's body retry delay as <c>Retry-After</c>
    /// (<see cref="GeminiRetryInfoHandler"/>), then the credential (added on every attempt, so a refreshed Vertex token
    /// is used by a retry), then the transport.
    /// </summary>
    public static HttpClient Create(GeminiOptions options, ILoggerFactory loggerFactory, HttpMessageHandler? innerHandler)
    {
        var credential = new GeminiCredentialHandler(options)
        {
            InnerHandler = innerHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };
        var retryInfo = new GeminiRetryInfoHandler { InnerHandler = credential };
        var retry = new ProviderRetryHandler(ProviderName, options, loggerFactory.CreateLogger(typeof(GeminiHttp).Namespace!)) { InnerHandler = retryInfo };
        return new HttpClient(new ProviderErrorHandler(ProviderName, options.ApiKey) { InnerHandler = retry }, disposeHandler: innerHandler is null)
        {
            BaseAddress = options.EffectiveEndpoint,
            Timeout = options.Timeout ?? DefaultTimeout,
        };
    }

    /// <summary>Posts UTF-8 JSON; a timeout of the <see cref="HttpClient"/> (not the caller's cancellation) becomes a transient <see cref="ProviderException"/>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, byte[] body, HttpCompletionOption completion, string? apiKey, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        try
        {
            return await http.SendAsync(message, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw ProviderException.FromTransportFailure(ProviderName, ex, apiKey);
        }
    }
}
