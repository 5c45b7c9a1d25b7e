using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core.ChatClients;

/// <summary>
/// Marks a client pipeline in which the registered <see cref="IChatClientLayerProvider"/>s were already applied, so a
/// registration that would otherwise wrap the whole client (tool loop included) can see that it must not apply them
/// a second time. Find it with <c>client.GetService&lt;RegisteredLayersChatClient&gt;()</c>.
/// </summary>
public sealed class RegisteredLayersChatClient : DelegatingChatClient
{
    /// <summary>Creates the marker around the layered client.</summary>
    /// <param name="inner">The client with the registered layers applied.</param>
    public RegisteredLayersChatClient(IChatClient inner)
        : base(inner)
    {
    }
}
