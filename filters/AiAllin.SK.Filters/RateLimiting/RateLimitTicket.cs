using System.Threading.RateLimiting;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.RateLimiting;

/// <summary>The permits one request holds; charges the reported token usage instead of the estimate.</summary>
internal sealed class RateLimitTicket(RateLimitPolicy policy, string partitionKey, RateLimitLease? requestLease, RateLimitLease? tokenLease) : IDisposable
{
    public string PartitionKey { get; } = partitionKey;

    /// <summary>Charges the total tokens of <paramref name="usage"/>; without usage the estimate stands.</summary>
    public void CorrectTokens(UsageDetails? usage)
    {
        if (tokenLease is not WindowRateLimitLease window || usage is null)
        {
            return;
        }

        var actual = usage.TotalTokenCount ?? (usage.InputTokenCount is null && usage.OutputTokenCount is null ? null : (usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0));
        if (actual is not { } total || total == window.Permits)
        {
            return;
        }

        policy.LogCorrection(PartitionKey, window.Permits, total);
        window.CorrectTo(total);
    }

    public void Dispose()
    {
        requestLease?.Dispose();
        tokenLease?.Dispose();
    }
}
