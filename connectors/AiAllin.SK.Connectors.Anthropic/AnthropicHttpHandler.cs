using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;

namespace AiAllin.SK.Connectors.Anthropic;

/// <summary>
/// The outer handler under the Anthropic SDK's <see cref="HttpClient"/>: presents the key in the documented
/// <c>x-api-key</c> header (the SDK sends it as a bearer token; <c>AnthropicChatClientTests.Request_PresentsTheKeyInXApiKeyAndNoBearerToken</c>), pins <c>anthropic-version</c> when configured, turns
/// every failed response into a <see cref="ProviderException"/> (status, error type, message, <c>Retry-After</c>),
/// guards event streams with Core's <see cref="SseGuardStream"/> (<see cref="AnthropicSseEventValidator"/>) and
/// completes usage the SDK cannot read (<see cref="AnthropicUsagePatch"/>).
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
    private readonly AnthropicSseEventValidator _validator;

    public AnthropicHttpHandler(AnthropicOptions options, HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
        _apiKey = options.ApiKey;
        _version = options.AnthropicVersion;
        _validator = new AnthropicSseEventValidator(options.ApiKey);
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

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (string.Equals(mediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase))
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            response.Content = WithHeadersOf(response.Content, new StreamContent(new SseGuardStream(stream, _validator)));
        }
        else if (string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            // A whole message is read by the SDK at once anyway; buffering it here lets incomplete usage be completed.
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (AnthropicUsagePatch.TryPatch(body) is { } patched)
            {
                var original = response.Content;
                response.Content = WithHeadersOf(original, new ByteArrayContent(patched));
                original.Dispose();
            }
        }

        return response;
    }

    // The original is not disposed here: for a stream it owns the connection the replacement still reads.
    private static HttpContent WithHeadersOf(HttpContent original, HttpContent replacement)
    {
        foreach (var header in original.Headers)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                replacement.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return replacement;
    }
}
