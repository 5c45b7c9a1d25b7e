using System.Runtime.CompilerServices;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;
using Anthropic.Core;
using Anthropic.Exceptions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using AnthropicSdkClient = Anthropic.AnthropicClient;

namespace AiAllin.SK.Connectors.Anthropic;

/// <summary>
/// An <see cref="IChatClient"/> for Anthropic Claude on the official Anthropic SDK and its chat adapter, with what the
/// adapter lacks added: temperature, top-p/top-k and <c>ChatOptions.AdditionalProperties</c> reach the request, the
/// key goes in the documented <c>x-api-key</c> header, every failure is a <see cref="ProviderException"/> (HTTP errors
/// with <c>Retry-After</c>, an in-stream <c>error</c> event after the updates already delivered, a malformed event as
/// <see cref="ProviderStreamException"/>; both are caught by Core's <see cref="SseGuardStream"/> before the SDK reads
/// them), and retries follow <see cref="ProviderOptions.MaxRetries"/> and
/// <see cref="ProviderOptions.MaxRetryDelay"/> instead of the SDK's own loop.
/// </summary>
/// <remarks>
/// Text, images (<see cref="DataContent"/> <c>image/*</c>), system prompts, tools with parallel tool use, streamed tool
/// calls, extended thinking (<see cref="TextReasoningContent"/> with the block signature in
/// <see cref="TextReasoningContent.ProtectedData"/>, sent back on later turns), usage, finish reasons and raw
/// representations come from the SDK's adapter. Streams are passed through update by update, never buffered.
/// </remarks>
public sealed class AnthropicChatClient : IChatClient
{
    /// <summary>The provider name used in exceptions and logs.</summary>
    public const string ProviderName = "Anthropic";

    private readonly AnthropicOptions _options;
    private readonly HttpClient _httpClient;
    private readonly AnthropicSdkClient _client;
    private readonly IChatClient _inner;
    private readonly ILogger _logger;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Creates the client.</summary>
    /// <param name="options">The settings; validated here (section <see cref="AnthropicOptions.DefaultSectionName"/> in messages).</param>
    /// <param name="loggerFactory">The logger factory; <see langword="null"/> for none.</param>
    /// <param name="innerHandler">The transport under the error and retry handlers (for example from <c>IHttpClientFactory</c>); a new <see cref="SocketsHttpHandler"/> when <see langword="null"/>. Not disposed by this client.</param>
    /// <exception cref="InvalidOperationException">A setting is missing or invalid.</exception>
    public AnthropicChatClient(AnthropicOptions options, ILoggerFactory? loggerFactory = null, HttpMessageHandler? innerHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(AnthropicOptions.DefaultSectionName);
        _options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AnthropicChatClient>();

        var retry = new ProviderRetryHandler(ProviderName, options, _logger)
        {
            InnerHandler = innerHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };

        // The SDK enforces ProviderOptions.Timeout (or its own default) itself, over the whole stream.
        _httpClient = new HttpClient(new AnthropicHttpHandler(options, retry), disposeHandler: innerHandler is null) { Timeout = Timeout.InfiniteTimeSpan };
        _client = new AnthropicSdkClient(new ClientOptions
        {
            ApiKey = options.ApiKey,
            BaseUrl = options.EffectiveEndpoint.AbsoluteUri.TrimEnd('/'),
            HttpClient = _httpClient,

            // Retries belong to ProviderRetryHandler: the SDK's loop would sleep a Retry-After of up to a minute
            // (AnthropicChatClientTests.Retry_AfterLongerThanMaxRetryDelayButUnderTheSdksMinute_FailsAtOnceWithOneRequest).
            MaxRetries = 0,
            Timeout = options.Timeout,
        });
        _inner = _client.AsIChatClient(options.Model, options.EffectiveMaxTokens);
        _metadata = new ChatClientMetadata("anthropic", options.EffectiveEndpoint, options.Model);
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var shaped = AnthropicRequestShaper.Shape(_options, options);
        var shapedMessages = AnthropicRequestShaper.ShapeMessages(_options, messages);
        AnthropicLog.RequestStarting(_logger, shaped.ModelId, streaming: false, shaped.Tools?.Count ?? 0);
        try
        {
            var response = await _inner.GetResponseAsync(shapedMessages, shaped, cancellationToken).ConfigureAwait(false);
            AnthropicLog.ResponseReceived(_logger, response.ModelId, response.FinishReason?.Value, response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount);
            return response;
        }
        catch (Exception ex) when (Translate(ex, streamedUpdates: null, cancellationToken) is { } translated)
        {
            AnthropicLog.RequestFailed(_logger, translated.Message);
            if (ReferenceEquals(translated, ex))
            {
                throw;
            }

            throw translated;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var shaped = AnthropicRequestShaper.Shape(_options, options);
        var shapedMessages = AnthropicRequestShaper.ShapeMessages(_options, messages);
        AnthropicLog.RequestStarting(_logger, shaped.ModelId, streaming: true, shaped.Tools?.Count ?? 0);
        var updates = _inner.GetStreamingResponseAsync(shapedMessages, shaped, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            var count = 0;
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex) when (Translate(ex, streamedUpdates: count, cancellationToken) is { } translated)
                {
                    AnthropicLog.StreamFailed(_logger, count, translated.Message);
                    if (ReferenceEquals(translated, ex))
                    {
                        throw;
                    }

                    throw translated;
                }

                count++;
                yield return updates.Current;
            }

            AnthropicLog.StreamCompleted(_logger, shaped.ModelId, count);
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null)
        {
            if (serviceType == typeof(ChatClientMetadata))
            {
                return _metadata;
            }

            if (serviceType.IsInstanceOfType(this))
            {
                return this;
            }

            if (serviceType.IsInstanceOfType(_client))
            {
                return _client;
            }
        }

        return _inner.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _inner.Dispose();
        _httpClient.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{nameof(AnthropicChatClient)} {{ {_options} }}";

    // Returns the exception to surface: ours pass through, the SDK's are mapped, the caller's cancellation is left alone (null).
    private Exception? Translate(Exception exception, int? streamedUpdates, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case ProviderException:
                return exception;
            case OperationCanceledException or TimeoutException:
                // Not the caller's token: the SDK's request timeout fired.
                return ProviderException.FromTransportFailure(ProviderName, exception, _options.ApiKey);
            case AnthropicApiException api:
                return new ProviderException(ProviderName, api.StatusCode, errorCode: null, SecretRedactor.Redact(api.ApiMessage ?? api.ResponseBody, _options.ApiKey), innerException: api);
            case AnthropicInvalidDataException invalid when streamedUpdates is { } delivered:
                // Valid JSON the SDK could not read: the position known here is the update that failed.
                return new ProviderStreamException(ProviderName, SecretRedactor.Redact(invalid.Message, _options.ApiKey), delivered + 1, "update", invalid);
            case AnthropicInvalidDataException invalid:
                return new ProviderException(ProviderName, statusCode: null, "invalid_response", SecretRedactor.Redact(invalid.Message, _options.ApiKey), isTransient: false, innerException: invalid);
            case AnthropicIOException io:
                return ProviderException.FromTransportFailure(ProviderName, io.InnerException ?? (Exception)io, _options.ApiKey);
            case HttpRequestException or IOException:
                return ProviderException.FromTransportFailure(ProviderName, exception, _options.ApiKey);
            default:
                return exception;
        }
    }
}
