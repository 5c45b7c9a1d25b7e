using System.ClientModel.Primitives;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.Core.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// The HTTP stack under every OpenAI-SDK based client of this package (OpenAI, Groq, OpenAI-compatible servers and
/// Azure OpenAI): one <see cref="HttpClient"/> whose handlers map failures to <see cref="ProviderException"/>, check
/// every streamed SSE line (<see cref="OpenAIResponseGuardHandler"/>) and retry by the provider contract
/// (<see cref="ProviderRetryHandler"/>), and SDK options with the SDK's own retry loop turned off.
/// </summary>
/// <remarks>
/// The SDK's <c>ClientRetryPolicy</c> waits whatever <c>Retry-After</c> the server announces (an hour if it says so);
/// the replacement caps the wait at <see cref="ProviderOptions.MaxRetryDelay"/> and fails fast beyond it
/// (<c>OpenAIChatClientTests.Retry_Streaming429WithHourLongRetryAfter_FailsAtOnceWithTheDelay</c>).
/// </remarks>
internal static class OpenAIHttpPipeline
{
    // Connections are recycled so DNS changes are picked up by long-lived singleton clients.
    private static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Creates the HTTP client for one provider client.</summary>
    /// <param name="provider">The provider name used in exceptions and logs.</param>
    /// <param name="options">The options (key for redaction, retries).</param>
    /// <param name="loggerFactory">The logger factory, or <see langword="null"/>.</param>
    /// <param name="innerHandler">The transport handler; a pooled <see cref="SocketsHttpHandler"/> (owned by the client) when <see langword="null"/>.</param>
    /// <param name="ownsInnerHandler">Whether disposing the client disposes <paramref name="innerHandler"/>; a handler the caller passed in stays the caller's.</param>
    /// <returns>The client.</returns>
    public static HttpClient CreateHttpClient(string provider, ProviderOptions options, ILoggerFactory? loggerFactory, HttpMessageHandler? innerHandler, bool ownsInnerHandler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(options);
        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        var retry = new ProviderRetryHandler(provider, options, factory.CreateLogger<ProviderRetryHandler>())
        {
            InnerHandler = innerHandler ?? new SocketsHttpHandler { PooledConnectionLifetime = PooledConnectionLifetime },
        };
        var guard = new OpenAIResponseGuardHandler(provider, options.ApiKey, factory.CreateLogger<OpenAIResponseGuardHandler>())
        {
            InnerHandler = retry,
        };

        // The SDK applies its own network timeout per request; the HttpClient must not cut long streams short. Our two
        // handlers hold nothing to release, so leaving the chain undisposed for a caller's handler loses nothing.
        return new HttpClient(guard, disposeHandler: innerHandler is null || ownsInnerHandler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Points SDK options at the HTTP client and turns the SDK's retries off.</summary>
    /// <typeparam name="TOptions">The SDK options type (OpenAI or Azure OpenAI client options).</typeparam>
    /// <param name="sdkOptions">The SDK options to change.</param>
    /// <param name="httpClient">The client from <see cref="CreateHttpClient"/>.</param>
    /// <param name="options">The provider options (timeout).</param>
    /// <returns><paramref name="sdkOptions"/>.</returns>
    public static TOptions Configure<TOptions>(TOptions sdkOptions, HttpClient httpClient, ProviderOptions options)
        where TOptions : ClientPipelineOptions
    {
        ArgumentNullException.ThrowIfNull(sdkOptions);
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        sdkOptions.Transport = new HttpClientPipelineTransport(httpClient);
        sdkOptions.RetryPolicy = new ClientRetryPolicy(maxRetries: 0);
        if (options.Timeout is { } timeout)
        {
            sdkOptions.NetworkTimeout = timeout;
        }

        return sdkOptions;
    }
}
