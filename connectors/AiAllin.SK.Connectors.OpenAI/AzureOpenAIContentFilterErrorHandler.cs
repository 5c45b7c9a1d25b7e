using System.Net;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Turns Azure's refusal of a prompt by the content filter (HTTP 400, <c>error.code</c> <c>content_filter</c>, the
/// verdicts under <c>error.innererror.content_filter_result</c>) into a <see cref="ProviderException"/> with that
/// code, the service's message, and the verdicts as <see cref="AzureOpenAIContentFilterResults"/> in
/// <see cref="Exception.Data"/> under <see cref="AzureOpenAIContentFilterResults.ExceptionDataKey"/>.
/// </summary>
/// <remarks>
/// Azure's body also carries a numeric <c>status</c>, which the generic error reader does not expect; reading the
/// documented Azure shape here keeps the code and the verdicts. Every other response passes through untouched.
/// </remarks>
internal sealed partial class AzureOpenAIContentFilterErrorHandler : DelegatingHandler
{
    private const string ContentFilterCode = "content_filter";

    // Error bodies are small; a larger one is not a content-filter refusal and is left to the generic reader.
    private const int MaxErrorBodyBytes = 64 * 1024;

    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    /// <param name="logger">Logs refusals (categories only, never the prompt or the key).</param>
    public AzureOpenAIContentFilterErrorHandler(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.BadRequest || response.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return response;
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            return response;
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!TryReadRefusal(body, out var message, out var verdicts))
        {
            return response;
        }

        using (response)
        {
            var exception = new ProviderException(AzureOpenAIClientFactory.ProviderName, HttpStatusCode.BadRequest, ContentFilterCode, message, isTransient: false);
            if (verdicts is not null)
            {
                exception.Data[AzureOpenAIContentFilterResults.ExceptionDataKey] = verdicts;
            }

            LogPromptRefused(_logger, AzureOpenAIClientFactory.ProviderName, verdicts?.ToString() ?? "content filter: no verdicts given");
            throw exception;
        }
    }

    private static bool TryReadRefusal(byte[] body, out string? message, out AzureOpenAIContentFilterResults? verdicts)
    {
        message = null;
        verdicts = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (!document.RootElement.TryGetProperty("error"u8, out var error)
                || error.ValueKind != JsonValueKind.Object
                || !error.TryGetProperty("code"u8, out var code)
                || code.ValueKind != JsonValueKind.String
                || !code.ValueEquals(ContentFilterCode))
            {
                return false;
            }

            message = error.TryGetProperty("message"u8, out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
            if (error.TryGetProperty("innererror"u8, out var inner)
                && inner.ValueKind == JsonValueKind.Object
                && inner.TryGetProperty("content_filter_result"u8, out var result))
            {
                verdicts = AzureOpenAIContentFilterResults.Parse(result);
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = AiAllinEventIds.ProviderRequestFailed, Level = LogLevel.Warning, Message = "{Provider} refused the prompt ({Verdicts})")]
    private static partial void LogPromptRefused(ILogger logger, string provider, string verdicts);
}
