using System.Runtime.CompilerServices;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Our layer over the Microsoft.Extensions.AI adapter of the OpenAI SDK: applies the options' default max tokens and
/// temperature, and makes sure every failure (including one raised between streamed updates) surfaces as a
/// <see cref="ProviderException"/> after the updates already delivered.
/// </summary>
internal sealed class OpenAIProviderChatClient : DelegatingChatClient
{
    private readonly string _provider;
    private readonly string? _apiKey;
    private readonly int? _maxTokens;
    private readonly float? _temperature;
    private readonly IDisposable? _owned;

    /// <summary>Wraps the adapter.</summary>
    /// <param name="inner">The SDK adapter (<c>AsIChatClient()</c>).</param>
    /// <param name="provider">The provider name used in exceptions.</param>
    /// <param name="options">The options (defaults and key).</param>
    /// <param name="owned">A resource disposed with the client (its HTTP client), or <see langword="null"/>.</param>
    public OpenAIProviderChatClient(IChatClient inner, string provider, ProviderOptions options, IDisposable? owned = null)
        : base(inner)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(options);
        _provider = provider;
        _apiKey = options.ApiKey;
        _maxTokens = options.MaxTokens;
        _temperature = options.Temperature;
        _owned = owned;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, WithDefaults(options), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (OpenAIErrorMapper.Map(_provider, ex, _apiKey) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var updates = base.GetStreamingResponseAsync(messages, WithDefaults(options), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception ex) when (OpenAIErrorMapper.Map(_provider, ex, _apiKey) is { } mapped)
                {
                    throw mapped;
                }

                yield return updates.Current;
            }
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _owned?.Dispose();
        }

        base.Dispose(disposing);
    }

    private ChatOptions? WithDefaults(ChatOptions? options)
    {
        if ((_maxTokens is null || options?.MaxOutputTokens is not null) && (_temperature is null || options?.Temperature is not null))
        {
            return options;
        }

        var effective = options?.Clone() ?? new ChatOptions();
        effective.MaxOutputTokens ??= _maxTokens;
        effective.Temperature ??= _temperature;
        return effective;
    }
}
