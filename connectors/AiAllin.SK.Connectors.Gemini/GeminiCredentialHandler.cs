using System.Net.Http.Headers;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// Presents the credential on every attempt: the API key in the <c>x-goog-api-key</c> header (never in the URL, where
/// proxies and HTTP logs would record it), or for Vertex AI a bearer token from
/// <see cref="GeminiOptions.AccessTokenProvider"/>.
/// </summary>
internal sealed class GeminiCredentialHandler(GeminiOptions options) : DelegatingHandler
{
    private const string ApiKeyHeader = "x-goog-api-key";

    private readonly string? _apiKey = options.ApiKey?.Trim();
    private readonly Func<CancellationToken, ValueTask<string>>? _tokenProvider = options.UsesVertexAI ? options.AccessTokenProvider : null;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Remove(ApiKeyHeader);
        if (_tokenProvider is not null)
        {
            var token = await _tokenProvider(cancellationToken).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(token))
            {
                throw new InvalidOperationException("The Gemini AccessTokenProvider returned an empty token.");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        }
        else if (!string.IsNullOrEmpty(_apiKey))
        {
            request.Headers.TryAddWithoutValidation(ApiKeyHeader, _apiKey);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
