using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.Anthropic;

/// <summary>
/// The outer handler under the Anthropic SDK's <see cref="HttpClient"/>: presents the key in the documented
/// <c>x-api-key</c> header (the SDK sends it as a bearer token), pins <c>anthropic-version</c> when configured, turns
/// every failed response into a <see cref="ProviderException"/> (status, error type, message, <c>Retry-After</c>) and
/// guards event streams against malformed events.
/// </summary>
/// <remarks>
/// It runs above <see cref="Core.Http.ProviderRetryHandler"/>, so it sees only the final answer after retries. The
/// exception it throws passes through the SDK unchanged (the SDK wraps only <see cref="HttpRequestException"/>),
/// which keeps the SDK's own error types, without <c>Retry-After</c>, out of the caller's way.
/// </remarks>
internal sealed class AnthropicHttpHandler : DelegatingHandler
{
    private readonly string? _apiKey;
    private readonly string? _version;

    public AnthropicHttpHandler(AnthropicOptions options, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        _apiKey = options.ApiKey;
        _version = options.AnthropicVersion;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Remove("Authorization");
        request.Headers.Remove("x-api-key");
        if (!string.IsNullOrEmpty(_apiKey))
        {
            request.Headers.TryAddWithoutValidation("x-api-key", _apiKey);
        }

        if (_version is not null)
        {
            request.Headers.Remove("anthropic-version");
            request.Headers.TryAddWithoutValidation("anthropic-version", _version);
        }

        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw ProviderException.FromTransportFailure(AnthropicChatClient.ProviderName, ex, _apiKey);
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await ProviderException.FromResponseAsync(AnthropicChatClient.ProviderName, response, _apiKey, timeProvider: null, cancellationToken).ConfigureAwait(false);
            }
        }

        if (string.Equals(response.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            var original = response.Content;
            var stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var guarded = new StreamContent(new AnthropicSseGuardStream(stream));
            foreach (var header in original.Headers)
            {
                guarded.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = guarded;
        }

        return response;
    }
}
