using System.Net.Http.Headers;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>Builds the <see cref="HttpClient"/> of a Cohere client and sends its JSON requests.</summary>
internal static class CohereHttp
{
    public const string ProviderName = "Cohere";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    /// <summary>
    /// Creates the client: errors mapped to <see cref="ProviderException"/> (outermost), then the retry contract
    /// (<see cref="ProviderRetryHandler"/>), then the transport. The key travels as a bearer token.
    /// </summary>
    public static HttpClient Create(CohereOptions options, ILoggerFactory loggerFactory, HttpMessageHandler? innerHandler)
    {
        var retry = new ProviderRetryHandler(ProviderName, options, loggerFactory.CreateLogger(typeof(CohereHttp).Namespace!))
        {
            InnerHandler = innerHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };
        var http = new HttpClient(new ProviderErrorHandler(ProviderName, options.ApiKey) { InnerHandler = retry }, disposeHandler: innerHandler is null)
        {
            BaseAddress = options.EffectiveEndpoint,
            Timeout = options.Timeout ?? DefaultTimeout,
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey?.Trim());
        http.DefaultRequestHeaders.Add("X-Client-Name", "AiAllin.SK");
        return http;
    }

    /// <summary>Posts a JSON body; a connection failure or <see cref="HttpClient.Timeout"/> becomes a transient <see cref="ProviderException"/>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, byte[] body, HttpCompletionOption completion, string? apiKey, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = JsonMediaType;
        try
        {
            return await http.SendAsync(message, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw ProviderException.FromTransportFailure(ProviderName, ex, apiKey);
        }
    }

    /// <summary>Reads a whole response body, turning a cut connection into a transient <see cref="ProviderException"/>.</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, string? apiKey, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw ProviderException.FromTransportFailure(ProviderName, ex, apiKey);
        }
    }
}
