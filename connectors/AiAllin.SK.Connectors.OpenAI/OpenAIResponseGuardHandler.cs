using System.Net.Http.Headers;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Sits between the OpenAI SDK and the network: an error response becomes a <see cref="ProviderException"/> (status,
/// the documented error object's code and message, Retry-After) instead of the SDK's <c>ClientResultException</c>; a
/// connection failure becomes a transient <see cref="ProviderException"/>; a streamed (SSE) body is wrapped in Core's
/// <see cref="SseGuardStream"/> with <see cref="OpenAISseEventValidator"/>, so a malformed event or an in-stream
/// <c>{"error": …}</c> raises an exception after the chunks before it, where the SDK would fail without naming the
/// event or end the stream silently; a whole chat
/// completion whose tool calls lack ids gets generated ones (<see cref="OpenAIToolCallIdRepair"/>).
/// </summary>
internal sealed partial class OpenAIResponseGuardHandler : DelegatingHandler
{
    private readonly string _provider;
    private readonly string? _apiKey;
    private readonly ILogger _logger;
    private readonly OpenAISseEventValidator _validator;

    /// <summary>Creates the handler.</summary>
    /// <param name="provider">The provider name used in exceptions.</param>
    /// <param name="apiKey">The key, removed from any text that could echo it.</param>
    /// <param name="logger">Logs failures (never the key, the request body or headers).</param>
    public OpenAIResponseGuardHandler(string provider, string? apiKey, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(logger);
        _provider = provider;
        _apiKey = apiKey;
        _logger = logger;
        _validator = new OpenAISseEventValidator(provider, apiKey);
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var failure = ProviderException.FromTransportFailure(_provider, ex, _apiKey);
            LogRequestFailed(_logger, _provider, null, failure.ErrorCode, failure.Message);
            throw failure;
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var failure = await ProviderException.FromResponseAsync(_provider, response, _apiKey, timeProvider: null, cancellationToken).ConfigureAwait(false);
                LogRequestFailed(_logger, _provider, (int)response.StatusCode, failure.ErrorCode, failure.Message);
                throw failure;
            }
        }

        if (IsEventStream(response.Content.Headers.ContentType))
        {
            var original = response.Content;
            var stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var guarded = new StreamContent(new SseGuardStream(stream, _validator, _logger));
            foreach (var header in original.Headers)
            {
                guarded.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = guarded;
        }
        else if (IsChatCompletion(request) && IsJson(response.Content.Headers.ContentType))
        {
            response.Content = await RepairToolCallIdsAsync(response, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private static bool IsChatCompletion(HttpRequestMessage request)
        => request.Method == HttpMethod.Post && request.RequestUri?.AbsolutePath.EndsWith("/chat/completions", StringComparison.OrdinalIgnoreCase) == true;

    private static bool IsJson(MediaTypeHeaderValue? contentType)
        => contentType?.MediaType is not { } mediaType || mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase);

    // The SDK buffers a whole completion anyway; reading it here first costs one body-sized array, which the original
    // bytes are then served from unless a tool call id had to be added.
    private async Task<HttpContent> RepairToolCallIdsAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var original = response.Content;
        var length = original.Headers.ContentLength is { } known and > 0 and < int.MaxValue ? (int)known : 0;
        var buffer = new MemoryStream(length);
        try
        {
            await original.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            response.Dispose();
            var failure = ProviderException.FromTransportFailure(_provider, ex, _apiKey);
            LogRequestFailed(_logger, _provider, null, failure.ErrorCode, failure.Message);
            throw failure;
        }

        var body = new ArraySegment<byte>(buffer.GetBuffer(), 0, (int)buffer.Length);
        var repaired = OpenAIToolCallIdRepair.Repair(body);
        if (repaired is not null)
        {
            LogToolCallIdsGenerated(_logger, _provider);
        }

        var content = repaired is null ? new ByteArrayContent(body.Array!, body.Offset, body.Count) : new ByteArrayContent(repaired);
        foreach (var header in original.Headers)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        original.Dispose();
        return content;
    }

    private static bool IsEventStream(MediaTypeHeaderValue? contentType)
        => string.Equals(contentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderRequestFailed, Level = LogLevel.Warning, Message = "{Provider} request failed (status {Status}, code {ErrorCode}): {Failure}")]
    private static partial void LogRequestFailed(ILogger logger, string provider, int? status, string? errorCode, string failure);

    [LoggerMessage(EventId = AiAllinEventIds.ProviderResponseReceived, Level = LogLevel.Debug, Message = "{Provider} sent tool calls without ids; ids were generated")]
    private static partial void LogToolCallIdsGenerated(ILogger logger, string provider);
}
