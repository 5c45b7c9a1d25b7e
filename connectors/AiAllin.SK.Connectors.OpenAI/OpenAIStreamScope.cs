using System.Runtime.CompilerServices;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Lets a streaming call find the <see cref="OpenAISseGuardStream"/> of its own response: the chat client puts an
/// empty box in the async flow before the request goes out, <see cref="OpenAIResponseGuardHandler"/> (further down
/// the same flow) puts the stream in it. The client asks the stream for the offending event when the SDK fails to
/// parse one that passed the guard's quick check.
/// </summary>
internal static class OpenAIStreamScope
{
    private static readonly AsyncLocal<StrongBox<OpenAISseGuardStream?>?> Current = new();

    /// <summary>Starts a scope for the request about to be sent from this flow.</summary>
    /// <returns>The box the handler fills.</returns>
    public static StrongBox<OpenAISseGuardStream?> Begin()
    {
        var box = new StrongBox<OpenAISseGuardStream?>();
        Current.Value = box;
        return box;
    }

    /// <summary>Records the guard stream of the response in the current scope, if a client started one.</summary>
    /// <param name="stream">The guard stream.</param>
    public static void Attach(OpenAISseGuardStream stream)
    {
        if (Current.Value is { Value: null } box)
        {
            box.Value = stream;
        }
    }
}
