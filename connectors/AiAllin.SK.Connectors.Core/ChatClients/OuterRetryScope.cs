using AiAllin.SK.Connectors.Core.Http;

namespace AiAllin.SK.Connectors.Core.ChatClients;

/// <summary>
/// Marks a model call that a layer above the provider retries as a whole, so that the provider's own HTTP retry
/// (<see cref="ProviderRetryHandler"/>) sends each request once instead of multiplying the attempts: three retries
/// of the filter pack around two HTTP retries would otherwise be up to twelve requests for one call.
/// </summary>
/// <remarks>
/// <para>
/// The filter pack's retry layer enters the scope around each attempt (only when it retries at all), and
/// <see cref="ProviderRetryHandler"/> is the one reader. The mark travels with the async flow of the attempt, because
/// the SDKs between a chat client and its HTTP handler offer no way to hand per-call state down.
/// </para>
/// <para>
/// A layer that retries calls itself (another retry middleware) enters it the same way:
/// <c>using (OuterRetryScope.Begin()) { … }</c>.
/// </para>
/// </remarks>
public static class OuterRetryScope
{
    private static readonly AsyncLocal<bool> Active = new();
    private static readonly IDisposable KeepActive = new Restore(true);
    private static readonly IDisposable EndActive = new Restore(false);

    /// <summary>Gets a value indicating whether the current call is retried by a layer above the provider.</summary>
    public static bool IsActive => Active.Value;

    /// <summary>Marks the current async flow as retried above the provider until the returned scope is disposed.</summary>
    /// <returns>The scope; disposing it restores the previous state. Nothing is allocated.</returns>
    public static IDisposable Begin()
    {
        if (Active.Value)
        {
            return KeepActive;
        }

        Active.Value = true;
        return EndActive;
    }

    private sealed class Restore(bool value) : IDisposable
    {
        public void Dispose() => Active.Value = value;
    }
}
