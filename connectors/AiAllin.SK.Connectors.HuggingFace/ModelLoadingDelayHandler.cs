using System.Globalization;
using System.Net;
using System.Text.Json;
using AiAllin.SK.Connectors.HuggingFace.Wire;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// Gives a 503 "model is currently loading" answer of the Inference API a <c>Retry-After</c> header made from its
/// <c>estimated_time</c>, so the retry handler above waits as long as the server said (when that is within
/// <c>MaxRetryDelay</c>) instead of retrying after half a second, and fails at once carrying the estimate otherwise.
/// </summary>
internal sealed class ModelLoadingDelayHandler : DelegatingHandler
{
    private const int MaxInspectedBody = 16 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.ServiceUnavailable
            || response.Headers.RetryAfter is not null
            || response.Content.Headers.ContentLength is > MaxInspectedBody)
        {
            return response;
        }

        try
        {
            // Buffered, so the error handler above still reads the body.
            await response.Content.LoadIntoBufferAsync(MaxInspectedBody, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (JsonSerializer.Deserialize(body, HuggingFaceJsonContext.Default.LoadingError)?.EstimatedTime is { } seconds
                && double.IsFinite(seconds) && seconds >= 0 && seconds < int.MaxValue)
            {
                response.Headers.TryAddWithoutValidation("Retry-After", Math.Ceiling(seconds).ToString(CultureInfo.InvariantCulture));
            }
        }
        catch (Exception ex) when (ex is JsonException or HttpRequestException)
        {
            // Not the loading shape: the answer goes up unchanged and is reported from its status and body.
        }

        return response;
    }
}
