using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// Turns every failed exchange into a <see cref="ProviderException"/>: an error status becomes one read from the
/// documented <c>{"error": "...", "error_type": "..."}</c> body (TEI) or <c>{"error": "...", "estimated_time": n}</c>
/// body (Inference API), with <c>Retry-After</c> readable; a connection failure becomes a transient one. The key is
/// redacted from both.
/// </summary>
internal sealed class HuggingFaceErrorHandler(string provider, string? apiKey) : DelegatingHandler
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
