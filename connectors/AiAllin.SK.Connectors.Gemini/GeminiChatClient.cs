using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Gemini.Wire;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// An <see cref="IChatClient"/> for Google Gemini's <c>generateContent</c> and <c>streamGenerateContent?alt=sse</c>,
/// on the Gemini API (API key in the <c>x-goog-api-key</c> header) or Vertex AI (bearer token).
/// </summary>
/// <remarks>
/// <para>
/// System messages and <c>ChatOptions.Instructions</c> become <c>systemInstruction</c>; assistant turns are sent as
/// <c>model</c> and tool results as <c>functionResponse</c> parts of a <c>user</c> turn. Function declarations carry
/// the tool's JSON schema converted to Gemini's OpenAPI subset; a schema it cannot express fails with an
/// <see cref="ArgumentException"/> naming the function, the location and the keyword, before anything is sent.
/// </para>
/// <para>
/// Thought summaries arrive as <see cref="TextReasoningContent"/>; a <c>thoughtSignature</c> arrives as the
/// <see cref="TextReasoningContent.ProtectedData"/> of a reasoning content placed just before the part it came
/// with, and is sent back on that same part when the conversation continues (Gemini 3 refuses function calling
/// without it). A blocked answer or prompt ends with <see cref="ChatFinishReason.ContentFilter"/>, Gemini's own
/// reason in <see cref="GeminiPropertyNames"/>.
/// </para>
/// <para>
/// HTTP failures are <see cref="ProviderException"/>s (status, Gemini's <c>status</c> as the code, its message,
/// <c>Retry-After</c> or the <c>RetryInfo</c> delay), retried per <see cref="ProviderOptions.MaxRetries"/> and
/// <see cref="ProviderOptions.MaxRetryDelay"/>; a malformed chunk or a mid-stream error ends a stream after the
/// updates already delivered. The key never appears in a URL, a log line or a message.
/// </para>
/// </remarks>
public sealed class GeminiChatClient : IChatClient
{
    private readonly GeminiOptions _options;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly ChatClientMetadata _metadata;
    private readonly GeminiSseEventValidator _validator;

    /// <summary>Creates a client; the options are validated.</summary>
    /// <param name="options">The settings; <see cref="ProviderOptions.Model"/> and the key (or the Vertex AI settings) are required.</param>
    /// <param name="loggerFactory">Logs requests, retries and failures without secrets; none when <see langword="null"/>.</param>
    /// <param name="innerHandler">The transport under the error, retry and credential handlers (for example from <c>IHttpClientFactory</c>); a new <see cref="SocketsHttpHandler"/> when <see langword="null"/>. Not disposed by this client.</param>
    /// <exception cref="InvalidOperationException">The options are invalid; the message names the setting.</exception>
    public GeminiChatClient(GeminiOptions options, ILoggerFactory? loggerFactory = null, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(GeminiOptions.DefaultSectionName);
        _options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<GeminiChatClient>();
        _http = GeminiHttp.Create(options, loggerFactory, innerHandler);
        _validator = new GeminiSseEventValidator(options.ApiKey);
        _metadata = new ChatClientMetadata(options.UsesVertexAI ? "gcp.vertex_ai" : "gcp.gemini", options.EffectiveEndpoint, options.Model);
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (model, body, request) = Prepare(messages, options);
        var toolCount = request.Tools is [var tool] ? tool.FunctionDeclarations.Count : 0;
        GeminiLog.RequestStarting(_logger, model, false, request.Contents.Count, toolCount);
        try
        {
            using var response = await GeminiHttp.PostAsync(_http, _options.MethodPath(model, "generateContent"), body, HttpCompletionOption.ResponseContentRead, _options.ApiKey, cancellationToken).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var result = new GeminiResponseReader().ToResponse(ParseWhole(bytes));
            GeminiLog.ResponseReceived(_logger, result.ModelId, result.FinishReason?.Value, result.Usage?.InputTokenCount, result.Usage?.OutputTokenCount);
            return result;
        }
        catch (ProviderException ex)
        {
            GeminiLog.RequestFailed(_logger, model, (int?)ex.StatusCode, ex.Message);
            throw;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var (model, body, request) = Prepare(messages, options);
        var toolCount = request.Tools is [var tool] ? tool.FunctionDeclarations.Count : 0;
        GeminiLog.RequestStarting(_logger, model, true, request.Contents.Count, toolCount);
        HttpResponseMessage response;
        try
        {
            response = await GeminiHttp.PostAsync(_http, _options.MethodPath(model, "streamGenerateContent") + "?alt=sse", body, HttpCompletionOption.ResponseHeadersRead, _options.ApiKey, cancellationToken).ConfigureAwait(false);
        }
        catch (ProviderException ex)
        {
            GeminiLog.RequestFailed(_logger, model, (int?)ex.StatusCode, ex.Message);
            throw;
        }

        using (response)
        {
            GeminiLog.StreamStarted(_logger, model);
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var reader = new GeminiResponseReader();
                var enumerator = GeminiStreamReader.ReadAsync(stream, _validator, cancellationToken).GetAsyncEnumerator(cancellationToken);
                await using (enumerator.ConfigureAwait(false))
                {
                    var updates = 0;
                    while (true)
                    {
                        try
                        {
                            if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                            {
                                break;
                            }
                        }
                        catch (ProviderException ex)
                        {
                            GeminiLog.StreamFailed(_logger, model, updates, ex.Message);
                            throw;
                        }
                        catch (IOException ex)
                        {
                            var failure = ProviderException.FromTransportFailure(GeminiHttp.ProviderName, ex, _options.ApiKey);
                            GeminiLog.StreamFailed(_logger, model, updates, failure.Message);
                            throw failure;
                        }

                        updates++;
                        yield return reader.ToUpdate(enumerator.Current);
                    }

                    if (!reader.Finished)
                    {
                        // The connection closed before a chunk with a finish reason: a cut stream must not pass for a whole answer.
                        var cut = new ProviderException(GeminiHttp.ProviderName, statusCode: null, errorCode: null, "the stream ended before its final chunk (no finishReason).", isTransient: true);
                        GeminiLog.StreamFailed(_logger, model, updates, cut.Message);
                        throw cut;
                    }

                    GeminiLog.StreamCompleted(_logger, model, updates);
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

    internal static GeminiResponse ParseWhole(byte[] body)
    {
        var trimmed = body.AsSpan().Trim(" \t\r\n"u8);
        try
        {
            return new GeminiChunkReader().Read(trimmed);
        }
        catch (JsonException ex)
        {
            throw new ProviderStreamException(GeminiHttp.ProviderName, Encoding.UTF8.GetString(trimmed), 1, "response", ex);
        }
    }

    private (string Model, byte[] Body, GeminiRequest Request) Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var model = options?.ModelId ?? _options.Model ?? string.Empty;
        var request = GeminiRequestBuilder.Build(messages, options, _options);
        if (request.Contents.Count == 0)
        {
            throw new ArgumentException("Gemini needs at least one user or assistant message with content; system messages alone are not enough.", nameof(messages));
        }

        return (model, JsonSerializer.SerializeToUtf8Bytes(request, GeminiJsonContext.Default.GeminiRequest), request);
    }
}
