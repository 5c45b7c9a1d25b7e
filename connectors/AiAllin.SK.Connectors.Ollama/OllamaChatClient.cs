using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Ollama.Wire;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OllamaSharp;

namespace AiAllin.SK.Connectors.Ollama;

/// <summary>
/// An <see cref="IChatClient"/> for Ollama's <c>/api/chat</c>, streaming and not, with tools, thinking, keep-alive and
/// model pulls on request. Model management and embeddings go through OllamaSharp's <see cref="OllamaApiClient"/>
/// (available from <see cref="GetService"/>), which shares this client's HTTP pipeline.
/// </summary>
/// <remarks>
/// <para>
/// Chat responses are read here rather than by OllamaSharp, whose reader ends a stream silently at an
/// <c>{"error": ...}</c> line, replaces the tool-call ids the server sent and cannot report invalid arguments. Here an
/// error line becomes a <see cref="ProviderException"/> and a line that is not JSON a
/// <see cref="ProviderStreamException"/>, both after the updates already delivered; the server's tool-call ids are
/// kept (stable unique ids are made up only when it sends none); arguments that are not a JSON object give a
/// <see cref="FunctionCallContent"/> with <see cref="FunctionCallContent.Exception"/> set and no arguments.
/// OllamaSharp's behaviour is pinned by <c>OllamaSharpTrapTests</c>; when those fail, the SDK was fixed.
/// </para>
/// <para>
/// HTTP failures are <see cref="ProviderException"/>s (status, Ollama's message, <c>Retry-After</c>), retried per
/// <see cref="ProviderOptions.MaxRetries"/> and <see cref="ProviderOptions.MaxRetryDelay"/>. The optional key is sent
/// as a bearer token and never appears in logs or messages.
/// </para>
/// </remarks>
public sealed class OllamaChatClient : IChatClient
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json") { CharSet = "utf-8" };

    private readonly OllamaOptions _options;
    private readonly HttpClient _http;
    private readonly OllamaApiClient _api;
    private readonly ILogger _logger;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Creates a client; the options are validated and copied where it matters.</summary>
    /// <param name="options">The settings; <see cref="ProviderOptions.Model"/> is required.</param>
    /// <param name="loggerFactory">Logs requests, retries and failures without secrets; none when <see langword="null"/>.</param>
    /// <param name="innerHandler">The transport under the retry and error handlers (for example from <c>IHttpClientFactory</c>); a new <see cref="SocketsHttpHandler"/> when <see langword="null"/>. Not disposed by this client.</param>
    /// <exception cref="InvalidOperationException">The options are invalid; the message names the setting.</exception>
    public OllamaChatClient(OllamaOptions options, ILoggerFactory? loggerFactory = null, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(OllamaOptions.DefaultSectionName);
        _options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<OllamaChatClient>();
        _http = OllamaHttp.Create(options, loggerFactory, innerHandler);
        _api = new OllamaApiClient(_http, options.Model ?? string.Empty);
        _metadata = new ChatClientMetadata("ollama", options.EffectiveEndpoint, options.Model);
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = OllamaChatMapper.ToRequest(messages, options, _options, stream: false);
        OllamaLog.RequestStarting(_logger, request.Model, false, request.Messages.Count, request.Tools?.Count ?? 0);
        try
        {
            using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var chunk = ParseWhole(body);
            var result = new OllamaResponseReader().ToResponse(chunk);
            OllamaLog.ResponseReceived(_logger, result.ModelId, result.FinishReason?.Value, result.Usage?.InputTokenCount, result.Usage?.OutputTokenCount);
            return result;
        }
        catch (ProviderException ex)
        {
            OllamaLog.RequestFailed(_logger, request.Model, (int?)ex.StatusCode, ex.Message);
            throw;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = OllamaChatMapper.ToRequest(messages, options, _options, stream: true);
        OllamaLog.RequestStarting(_logger, request.Model, true, request.Messages.Count, request.Tools?.Count ?? 0);
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex)
        {
            OllamaLog.RequestFailed(_logger, request.Model, (int?)ex.StatusCode, ex.Message);
            throw;
        }

        using (response)
        {
            OllamaLog.StreamStarted(_logger, request.Model);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var reader = new OllamaResponseReader();
                var lines = NdjsonStreamReader.ReadAsync(stream, OllamaHttp.ProviderName, OllamaJsonContext.Default.OllamaChatChunk, cancellationToken);
                var enumerator = lines.GetAsyncEnumerator(cancellationToken);
                await using (enumerator.ConfigureAwait(false))
                {
                    var updates = 0;
                    var done = false;
                    while (!done)
                    {
                        try
                        {
                            if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                            {
                                // The connection closed before the final line: a cut stream must not pass for a whole answer.
                                throw new ProviderException(OllamaHttp.ProviderName, statusCode: null, errorCode: null, "the stream ended before its final (done) line.", isTransient: true);
                            }
                        }
                        catch (ProviderException ex)
                        {
                            OllamaLog.StreamFailed(_logger, request.Model, updates, ex.Message);
                            throw;
                        }

                        var chunk = enumerator.Current;
                        done = chunk.Done;
                        updates++;
                        yield return reader.ToUpdate(chunk);
                    }

                    OllamaLog.StreamCompleted(_logger, request.Model, updates);
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

        if (serviceType.IsInstanceOfType(_api) && serviceType != typeof(IChatClient) && serviceType != typeof(object))
        {
            return _api;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _api.Dispose();
        _http.Dispose();
    }

    private static OllamaChatChunk ParseWhole(byte[] body)
    {
        var trimmed = body.AsSpan().Trim(" \t\r\n"u8);
        var reader = new Utf8JsonReader(trimmed);
        try
        {
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("error"u8))
            {
                throw ProviderException.FromStreamError(OllamaHttp.ProviderName, trimmed);
            }

            return JsonSerializer.Deserialize(trimmed, OllamaJsonContext.Default.OllamaChatChunk)
                ?? throw new JsonException("The response is JSON null.");
        }
        catch (JsonException ex)
        {
            throw new ProviderStreamException(OllamaHttp.ProviderName, System.Text.Encoding.UTF8.GetString(trimmed), 1, "response", ex);
        }
    }

    private Task<HttpResponseMessage> SendAsync(OllamaChatRequest request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, OllamaJsonContext.Default.OllamaChatRequest);
        return OllamaModelPuller.SendAsync(_api, _options, request.Model, _logger, () => SendOnceAsync(body, completion, cancellationToken), cancellationToken);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(byte[] body, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "api/chat") { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = JsonMediaType;
        try
        {
            return await _http.SendAsync(message, completion, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout, not the caller: report it as the transient failure it is.
            throw ProviderException.FromTransportFailure(OllamaHttp.ProviderName, ex, _options.ApiKey);
        }
    }
}
