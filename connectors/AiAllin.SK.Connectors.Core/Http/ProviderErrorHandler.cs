namespace AiAllin.SK.Connectors.Core.Http;

/// <summary>
/// The outermost handler of a provider's REST client: turns every failed exchange into a <see cref="ProviderException"/>
/// before the client's reader sees it. An error status becomes one read from the provider's documented error body
/// (<c>ProviderException.FromResponseAsync</c> knows the shapes of OpenAI, Anthropic, Gemini, Cohere, Ollama,
/// TEI and the Inference API, with <c>Retry-After</c>), a connection failure a transient one. The key is redacted from both.
/// </summary>
/// <param name="provider">The provider name the exceptions carry, for example <c>Cohere</c>.</param>
/// <param name="apiKey">The key to redact from messages, if any.</param>
public sealed class ProviderErrorHandler(string provider, string? apiKey) : DelegatingHandler
{
    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw ProviderException.FromTransportFailure(provider, ex, apiKey);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ProviderException.FromResponseAsync(provider, response, apiKey, timeProvider: null, cancellationToken).ConfigureAwait(false);
        }
    }
}
