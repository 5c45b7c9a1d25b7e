using System.Collections.Concurrent;
using Azure.Core;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Azure;

/// <summary>An Entra ID credential stand-in: hands out a fixed token and records every scope it was asked for.</summary>
/// <param name="token">The token to return.</param>
/// <param name="lifetime">How long each token is valid; one hour when <see langword="null"/>.</param>
internal sealed class AzureTestCredential(string token, TimeSpan? lifetime = null) : TokenCredential
{
    private int _calls;

    public ConcurrentQueue<string[]> RequestedScopes { get; } = new();

    public int Calls => Volatile.Read(ref _calls);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        RequestedScopes.Enqueue(requestContext.Scopes);
        return new AccessToken(token, DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromHours(1)));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        => ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
