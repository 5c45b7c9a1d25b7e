using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.Ollama;

/// <summary>
/// Turns every failed HTTP exchange into a <see cref="ProviderException"/> before OllamaSharp or our reader sees it:
/// an error status becomes one parsed from Ollama's <c>{"error": "..."}</c> body, a connection failure a transient
/// one. The key is redacted from both.
/// </summary>
internal sealed class OllamaErrorHandler(string? apiKey) : DelegatingHandler
{
    public const string ProviderName = "Ollama";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw ProviderException.FromTransportFailure(ProviderName, ex, apiKey);
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ProviderException.FromResponseAsync(ProviderName, response, apiKey, timeProvider: null, cancellationToken).ConfigureAwait(false);
        }
    }
}
