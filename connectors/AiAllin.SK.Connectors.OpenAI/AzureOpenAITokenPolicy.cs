using System.ClientModel.Primitives;
using System.Net;
using AiAllin.SK.Connectors.Core;
using Azure.Core;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Authenticates Azure OpenAI requests with an Entra ID token from a <see cref="TokenCredential"/>, sent as
/// <c>Authorization: Bearer</c>. The token is fetched once and reused until shortly before it expires (or from the
/// time the credential says to refresh it), so a busy client does not ask the identity endpoint on every call.
/// </summary>
/// <remarks>The token is never logged or put in an exception; it only ever travels in the request header.</remarks>
internal sealed class AzureOpenAITokenPolicy : AuthenticationPolicy
{
    // Refresh a little early so a token never expires between being read and reaching the server.
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly TokenCredential _credential;
    private readonly TokenRequestContext _context;
    private readonly TimeProvider _timeProvider;
    private readonly Lock _gate = new();
    private CachedToken? _token;
    private Task<string>? _fetching;

    /// <summary>Creates the policy.</summary>
    /// <param name="credential">The credential to ask for tokens.</param>
    /// <param name="scope">The scope tokens are requested for.</param>
    /// <param name="timeProvider">The clock that decides when a cached token is too old.</param>
    public AzureOpenAITokenPolicy(TokenCredential credential, string scope, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        _credential = credential;
        _context = new TokenRequestContext([scope]);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ArgumentNullException.ThrowIfNull(message);
        var token = CurrentToken() ?? RefreshSync(message.CancellationToken);
        Authorize(message, token);
        try
        {
            ProcessNext(message, pipeline, currentIndex);
        }
        catch (ProviderException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
        {
            Forget(token);
            throw;
        }

        ForgetIfRejected(message, token);
    }

    /// <inheritdoc />
    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        ArgumentNullException.ThrowIfNull(message);
        var token = CurrentToken() ?? await RefreshAsync(message.CancellationToken).ConfigureAwait(false);
        Authorize(message, token);
        try
        {
            await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
        }
        catch (ProviderException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
        {
            Forget(token);
            throw;
        }

        ForgetIfRejected(message, token);
    }

    private static void Authorize(PipelineMessage message, string token)
    {
        message.Request.Headers.Remove("api-key");
        message.Request.Headers.Set("Authorization", "Bearer " + token);
    }

    // A revoked or rotated token is refetched on the next request instead of failing until it expires. The HTTP
    // stack under this package raises a 401 as a ProviderException; a plain SDK transport returns it as a response.
    private void ForgetIfRejected(PipelineMessage message, string token)
    {
        if (message.Response?.Status == 401)
        {
            Forget(token);
        }
    }

    private void Forget(string token)
    {
        if (Volatile.Read(ref _token) is { } cached && string.Equals(cached.Token, token, StringComparison.Ordinal))
        {
            Interlocked.CompareExchange(ref _token, null, cached);
        }
    }

    private static DateTimeOffset RefreshTime(AccessToken token)
        => token.RefreshOn is { } refreshOn && refreshOn < token.ExpiresOn ? refreshOn : token.ExpiresOn - RefreshMargin;

    private string? CurrentToken()
    {
        var cached = Volatile.Read(ref _token);
        return cached is not null && _timeProvider.GetUtcNow() < cached.RefreshAt ? cached.Token : null;
    }

    private string RefreshSync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return CurrentToken() ?? Store(_credential.GetToken(_context, cancellationToken));
        }
    }

    private async ValueTask<string> RefreshAsync(CancellationToken cancellationToken)
    {
        // Concurrent requests share one fetch; a caller that gives up does not cancel it for the others.
        Task<string> fetching;
        lock (_gate)
        {
            if (_fetching is null || _fetching.IsCompleted)
            {
                _fetching = FetchAsync();
            }

            fetching = _fetching;
        }

        return await fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> FetchAsync()
        => CurrentToken() ?? Store(await _credential.GetTokenAsync(_context, CancellationToken.None).ConfigureAwait(false));

    private string Store(AccessToken token)
    {
        if (string.IsNullOrEmpty(token.Token))
        {
            throw new InvalidOperationException($"The {_credential.GetType().Name} returned an empty Entra ID token for {string.Join(' ', _context.Scopes)}.");
        }

        // A token that is already inside the refresh margin is still used for this request, just not cached.
        var refreshAt = RefreshTime(token);
        if (_timeProvider.GetUtcNow() < refreshAt)
        {
            Volatile.Write(ref _token, new CachedToken(token.Token, refreshAt));
        }

        return token.Token;
    }

    private sealed record CachedToken(string Token, DateTimeOffset RefreshAt)
    {
        // The record's generated ToString would print the token.
        public override string ToString() => "CachedToken { Token = ***, RefreshAt = " + RefreshAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture) + " }";
    }
}
