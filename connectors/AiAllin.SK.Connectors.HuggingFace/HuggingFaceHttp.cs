using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>Builds the <see cref="HttpClient"/> of a TEI or Inference API client and sends its JSON requests.</summary>
internal static class HuggingFaceHttp
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Creates the client: errors mapped to <see cref="ProviderException"/> (outermost), then the retry contract
    /// (<see cref="ProviderRetryHandler"/>), then, for the Inference API, the model-loading delay, then the transport.
    /// </summary>
    public static HttpClient Create(string provider, ProviderOptions options, Uri baseAddress, ILoggerFactory loggerFactory, HttpMessageHandler? innerHandler, bool readModelLoadingDelay)
    {
        var transport = innerHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        HttpMessageHandler underRetry = readModelLoadingDelay ? new ModelLoadingDelayHandler { InnerHandler = transport } : transport;
        var retry = new ProviderRetryHandler(provider, options, loggerFactory.CreateLogger(typeof(HuggingFaceHttp).Namespace!)) { InnerHandler = underRetry };

        // A caller's handler stays the caller's: only the handlers made here are disposed with the client.
        var http = new HttpClient(new ProviderErrorHandler(provider, options.ApiKey) { InnerHandler = retry }, disposeHandler: innerHandler is null)
        {
            BaseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/"),
            Timeout = options.Timeout ?? DefaultTimeout,
        };
        if (!string.IsNullOrWhiteSpace(options.ApiKey))
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey.Trim());
        }

        return http;
    }

    /// <summary>
    /// Posts <paramref name="body"/> as JSON and returns the answer's bytes and its <c>x-compute-tokens</c> count. The
    /// client's <see cref="HttpClient.Timeout"/> running out is a transient <see cref="ProviderException"/>, like any
    /// other transport failure; the caller's own cancellation stays an <see cref="OperationCanceledException"/>.
    /// </summary>
    public static async Task<(byte[] Body, long? Tokens)> PostAsync<TRequest>(
        HttpClient http,
        string provider,
        string path,
        TRequest body,
        JsonTypeInfo<TRequest> typeInfo,
        IReadOnlyDictionary<string, string>? headers,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, typeInfo) };
        if (headers is not null)
        {
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw ProviderException.FromTransportFailure(provider, ex);
        }

        using var owned = response;
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        long? tokens = response.Headers.TryGetValues("x-compute-tokens", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count)
            ? count
            : null;
        return (bytes, tokens);
    }

    /// <summary>Gets TEI's spelling of a truncation direction (the variant names, capitalised).</summary>
    public static string? ToWire(TextTruncationDirection? direction) => direction switch
    {
        TextTruncationDirection.Left => "Left",
        TextTruncationDirection.Right => "Right",
        _ => null,
    };
}
