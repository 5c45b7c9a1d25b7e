using System.Runtime.ExceptionServices;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters.Resilience;

/// <summary>
/// Applies a <see cref="FallbackPolicy"/> to an inner client: a call that fails (before any streamed update reached
/// the caller) is repeated on the fallback client and/or model. If the fallback fails too, its failure is thrown.
/// Transport failures of the inner client leave as <see cref="ProviderException"/>.
/// </summary>
internal sealed class FallbackChatClient : DelegatingChatClient
{
    private readonly FallbackPolicy _policy;
    private readonly Func<IChatClient>? _resolveFallback;
    private IChatClient? _fallback;
    private string? _provider;

    /// <summary>Creates the client.</summary>
    /// <param name="innerClient">The primary client.</param>
    /// <param name="policy">The policy.</param>
    /// <param name="services">Resolves <see cref="FallbackOptions.FallbackClientKey"/>; needed only when the policy names a key.</param>
    public FallbackChatClient(IChatClient innerClient, FallbackPolicy policy, IServiceProvider? services = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        if (policy.FallbackClientKey is { } key)
        {
            ArgumentNullException.ThrowIfNull(services);
            var keyed = services as IKeyedServiceProvider
                ?? throw new ArgumentException("The service provider does not support keyed services, so FallbackClientKey cannot be resolved.", nameof(services));
            _resolveFallback = () => (IChatClient)keyed.GetRequiredKeyedService(typeof(IChatClient), key);
        }
    }

    private string Provider => _provider ??= ProviderErrorMapper.ProviderName(InnerClient.GetService<ChatClientMetadata>());

    private IChatClient Fallback => _fallback ??= _policy.FallbackClient ?? _resolveFallback?.Invoke() ?? InnerClient;

    /// <inheritdoc/>
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (FallbackPolicy.IsInFallback)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var mapped = ProviderErrorMapper.Map(exception, Provider, cancellationToken);
            if (!_policy.ShouldFallback(mapped, cancellationToken))
            {
                Rethrow(exception, mapped);
            }

            LogFallback(mapped);
            using (FallbackPolicy.EnterFallback())
            {
                return await Fallback.GetResponseAsync(messages, _policy.FallbackOptionsFor(options), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var provider = Provider;
        return FallbackPolicy.IsInFallback
            ? base.GetStreamingResponseAsync(messages, options, cancellationToken)
            : ResilientStream.StreamAsync(
                token => OpenWithFallbackAsync(messages, options, provider, token),
                provider,
                exception => _policy.ShouldFallback(exception, cancellationToken),
                _policy.Logger,
                cancellationToken);
    }

    private static void Rethrow(Exception original, Exception mapped)
    {
        if (ReferenceEquals(original, mapped))
        {
            ExceptionDispatchInfo.Throw(original);
        }

        throw mapped;
    }

    private async ValueTask<StreamStart> OpenWithFallbackAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, string provider, CancellationToken cancellationToken)
    {
        try
        {
            return await ResilientStream.OpenAsync(InnerClient, messages, options, provider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (_policy.ShouldFallback(exception, cancellationToken))
        {
            LogFallback(exception);
            var fallback = Fallback;
            using (FallbackPolicy.EnterFallback())
            {
                return await ResilientStream.OpenAsync(
                    fallback,
                    messages,
                    _policy.FallbackOptionsFor(options),
                    ProviderErrorMapper.ProviderName(fallback.GetService<ChatClientMetadata>()),
                    cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void LogFallback(Exception exception)
    {
        if (_policy.Logger.IsEnabled(LogLevel.Warning))
        {
            ResilienceLog.FallbackUsed(_policy.Logger, Provider, exception.GetType().Name, ProviderErrorMapper.ProviderName(Fallback.GetService<ChatClientMetadata>()), _policy.FallbackModelId);
        }
    }
}
