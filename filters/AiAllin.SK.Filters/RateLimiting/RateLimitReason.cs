namespace AiAllin.SK.Filters.RateLimiting;

/// <summary>Why a request was refused by a <see cref="RateLimitPolicy"/>.</summary>
public enum RateLimitReason
{
    /// <summary>The partition started its allowed number of requests in this window.</summary>
    Requests,

    /// <summary>The partition used its allowed number of tokens in this window.</summary>
    Tokens,

    /// <summary>The provider answered HTTP 429 with a <c>Retry-After</c> that has not passed yet.</summary>
    ProviderRetryAfter,
}
