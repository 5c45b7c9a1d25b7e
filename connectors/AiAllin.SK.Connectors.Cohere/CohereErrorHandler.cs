using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>
/// Turns every failed HTTP exchange into a <see cref="ProviderException"/>: an error status becomes one read from
/// Cohere's <c>{"id": …, "message": …}</c> body with its <c>Retry-After</c>, a connection failure a transient one.
/// The key is redacted from both.
/// </summary>
internal sealed class CohereErrorHandler(string? apiKey) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw ProviderException.FromTransportFailure(CohereHttp.ProviderName, ex, apiKey);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ProviderException.FromResponseAsync(CohereHttp.ProviderName, response, apiKey, timeProvider: null, cancellationToken).ConfigureAwait(false);
        }
    }
}
