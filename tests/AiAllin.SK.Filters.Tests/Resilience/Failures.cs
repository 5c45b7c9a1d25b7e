using System.Net;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Time.Testing;

namespace AiAllin.SK.Filters.Tests.Resilience;

/// <summary>Provider failures and clock helpers for the resilience tests.</summary>
public static class Failures
{
    public static ProviderException Unavailable() => new("scripted", HttpStatusCode.ServiceUnavailable, "server_error", "overloaded");

    public static ProviderException BadRequest() => new("scripted", HttpStatusCode.BadRequest, "invalid_request_error", "bad prompt");

    public static ProviderException Throttled(TimeSpan retryAfter) => new("scripted", HttpStatusCode.TooManyRequests, "rate_limit_exceeded", "slow down", retryAfter);

    /// <summary>Advances the fake clock in steps until the task completes (backoffs never sleep for real).</summary>
    public static async Task<T> AdvanceUntilDoneAsync<T>(FakeTimeProvider time, Task<T> task, TimeSpan step)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!task.IsCompleted && !guard.IsCancellationRequested)
        {
            time.Advance(step);
            await Task.Delay(1);
        }

        return await task.WaitAsync(TimeSpan.FromSeconds(20));
    }
}
