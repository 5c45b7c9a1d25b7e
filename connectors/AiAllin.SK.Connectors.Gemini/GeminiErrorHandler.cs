using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// Turns every failed exchange into a <see cref="ProviderException"/>: an error status becomes one read from the
/// documented body <c>{"error":{"code","message","status","details"}}</c> (the <c>status</c> is the error code, a
/// <c>RetryInfo</c> detail or <c>Retry-After</c> the retry delay), a connection failure a transient one. The key is
/// redacted from both.
/// </summary>
internal sealed class GeminiErrorHandler(string? apiKey) : DelegatingHandler
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
            throw ProviderException.FromTransportFailure(GeminiHttp.ProviderName, ex, apiKey);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ProviderException.FromResponseAsync(GeminiHttp.ProviderName, response, apiKey, timeProvider: null, cancellationToken).ConfigureAwait(false);
        }
    }
}
