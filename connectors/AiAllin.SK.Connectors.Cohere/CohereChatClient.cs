using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Cohere.Wire;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Connectors.Cohere;

/// <summary>
/// An <see cref="IChatClient"/> for Cohere's <c>/v2/chat</c>, streaming (server-sent events) and not, with tools
/// (several calls per response, arguments streamed in pieces), the tool plan and thinking as reasoning content,
/// documents with citations as <see cref="CitationAnnotation"/>s, JSON output and Cohere's sampling options.
/// </summary>
/// <remarks>
/// <para>
/// Documents go in <see cref="ChatOptions.AdditionalProperties"/> under <see cref="DocumentsKey"/> (strings,
/// <see cref="CohereDocument"/>s or a JSON array); other additional properties are sent as request members as they
/// are (for example <c>citation_options</c>, <c>strict_tools</c>, <c>thinking</c>). <see cref="ChatOptions.TopP"/> and
/// <see cref="ChatOptions.TopK"/> are Cohere's <c>p</c> and <c>k</c>.
/// </para>
/// <para>
/// Every event is checked by <see cref="CohereSseEventValidator"/> before it is read: a malformed event raises a
/// <see cref="ProviderStreamException"/> and a <c>message-end</c> carrying an error a <see cref="ProviderException"/>,
/// both after the updates already delivered; a stream cut before <c>message-end</c> is a transient
/// <see cref="ProviderException"/>. HTTP failures are <see cref="ProviderException"/>s (status, Cohere's message,
/// <c>Retry-After</c>), retried per <see cref="ProviderOptions.MaxRetries"/> and
/// <see cref="ProviderOptions.MaxRetryDelay"/>. The key is sent as a bearer token and never appears in logs or messages.
/// </para>
/// </remarks>
public sealed class CohereChatClient : IChatClient
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key whose value is the request's <c>documents</c>.</summary>
    public const string DocumentsKey = "documents";

    private const string ChatPath = "v2/chat";

    private readonly CohereOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly CohereSseEventValidator _validator;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Creates a client; the options are validated.</summary>
    /// <param name="options">The settings; <see cref="ProviderOptions.ApiKey"/> and <see cref="ProviderOptions.Model"/> are required.</param>
    /// <param name="loggerFactory">Logs requests, retries and failures without secrets; none when <see langword="null"/>.</param>
    /// <param name="innerHandler">The transport under the retry and error handlers (for example from <c>IHttpClientFactory</c>); a new <see cref="SocketsHttpHandler"/> when <see langword="null"/>. Not disposed by this client.</param>
    /// <exception cref="InvalidOperationException">The options are invalid; the message names the setting.</exception>
    public CohereChatClient(CohereOptions options, ILoggerFactory? loggerFactory = null, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(CohereOptions.DefaultSectionName);
        _options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<CohereChatClient>();
        _http = CohereHttp.Create(options, loggerFactory, innerHandler);
        _validator = new CohereSseEventValidator(options.ApiKey);
        _metadata = new ChatClientMetadata("cohere", options.EffectiveEndpoint, options.Model);
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = CohereChatMapper.ToRequest(messages, options, _options, stream: false);
        LogStart(request);
        try
        {
            using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var body = await CohereHttp.ReadBodyAsync(response, _options.ApiKey, cancellationToken).ConfigureAwait(false);
            var result = CohereResponseReader.ToResponse(ParseWhole(body), request.Model);
            CohereLog.ResponseReceived(_logger, result.ModelId, result.FinishReason?.Value, result.Usage?.InputTokenCount, result.Usage?.OutputTokenCount);
            return result;
        }
        catch (ProviderException ex)
        {
            CohereLog.RequestFailed(_logger, request.Model, (int?)ex.StatusCode, ex.Message);
            throw;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = CohereChatMapper.ToRequest(messages, options, _options, stream: true);
        LogStart(request);
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex)
        {
            CohereLog.RequestFailed(_logger, request.Model, (int?)ex.StatusCode, ex.Message);
            throw;
        }

        using (response)
        {
            CohereLog.StreamStarted(_logger, request.Model);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var reader = new CohereResponseReader(request.Model);
                var events = CohereEventStream.Read(stream, _validator, cancellationToken).GetAsyncEnumerator(cancellationToken);
                await using (events.ConfigureAwait(false))
                {
                    var updates = 0;
                    while (true)
                    {
                        try
                        {
                            if (!await MoveNextAsync(events, cancellationToken).ConfigureAwait(false))
                            {
                                if (reader.Ended)
                                {
                                    break;
                                }

                                // The connection closed before message-end: a cut stream must not pass for a whole answer.
                                throw new ProviderException(CohereHttp.ProviderName, statusCode: null, errorCode: null, "the stream ended before its message-end event.", isTransient: true);
                            }
                        }
                        catch (ProviderException ex)
                        {
                            CohereLog.StreamFailed(_logger, request.Model, updates, ex.Message);
                            throw;
                        }

                        if (reader.ToUpdate(events.Current) is { } update)
                        {
                            updates++;
                            yield return update;
                        }
                    }

                    CohereLog.StreamCompleted(_logger, request.Model, updates);
                }
            }
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static CohereChatResponse ParseWhole(byte[] body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, CohereJsonContext.Default.CohereChatResponse)
                ?? throw new JsonException("The response is JSON null.");
        }
        catch (JsonException ex)
        {
            throw new ProviderStreamException(CohereHttp.ProviderName, Encoding.UTF8.GetString(body), 1, "response", ex);
        }
    }

    private async ValueTask<bool> MoveNextAsync(IAsyncEnumerator<CohereStreamEvent> events, CancellationToken cancellationToken)
    {
        try
        {
            return await events.MoveNextAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw ProviderException.FromTransportFailure(CohereHttp.ProviderName, ex, _options.ApiKey);
        }
    }

    private void LogStart(CohereChatRequest request) =>
        CohereLog.RequestStarting(_logger, request.Model, request.Stream, request.Messages.Count, request.Tools?.Count ?? 0, request.Documents?.Count ?? 0);

    private Task<HttpResponseMessage> SendAsync(CohereChatRequest request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, CohereJsonContext.Default.CohereChatRequest);
        return CohereHttp.PostAsync(_http, ChatPath, body, completion, _options.ApiKey, cancellationToken);
    }
}
