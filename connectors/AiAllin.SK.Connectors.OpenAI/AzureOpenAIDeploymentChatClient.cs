using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Sends a request whose <see cref="ChatOptions.ModelId"/> names another deployment to that deployment's route. On the
/// deployment routes Azure picks the model from the path and ignores the body's <c>model</c>, so without this a
/// per-request model (for example Semantic Kernel's <c>PromptExecutionSettings.ModelId</c>) would silently go to the
/// configured deployment.
/// </summary>
internal sealed class AzureOpenAIDeploymentChatClient : IChatClient
{
    // Deployments are few in practice; the cap only keeps a caller that sends arbitrary names from growing the cache.
    private const int MaxCachedDeployments = 32;

    private readonly string _defaultDeployment;
    private readonly IChatClient _defaultClient;
    private readonly Func<string, IChatClient> _createClient;
    private readonly ConcurrentDictionary<string, IChatClient> _otherClients = new(StringComparer.Ordinal);

    /// <summary>Creates the router.</summary>
    /// <param name="defaultDeployment">The configured deployment.</param>
    /// <param name="createClient">Creates the SDK adapter for a deployment.</param>
    public AzureOpenAIDeploymentChatClient(string defaultDeployment, Func<string, IChatClient> createClient)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultDeployment);
        ArgumentNullException.ThrowIfNull(createClient);
        _defaultDeployment = defaultDeployment;
        _createClient = createClient;
        _defaultClient = createClient(defaultDeployment);
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => ClientFor(options).GetResponseAsync(messages, options, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => ClientFor(options).GetStreamingResponseAsync(messages, options, cancellationToken);

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : _defaultClient.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _defaultClient.Dispose();
        foreach (var client in _otherClients.Values)
        {
            client.Dispose();
        }

        _otherClients.Clear();
    }

    private IChatClient ClientFor(ChatOptions? options)
    {
        if (options?.ModelId is not { Length: > 0 } deployment || string.Equals(deployment, _defaultDeployment, StringComparison.Ordinal))
        {
            return _defaultClient;
        }

        if (_otherClients.TryGetValue(deployment, out var client))
        {
            return client;
        }

        return _otherClients.Count < MaxCachedDeployments ? _otherClients.GetOrAdd(deployment, _createClient) : _createClient(deployment);
    }
}
