using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.RateLimiting;

/// <summary>What a <see cref="RateLimitOptions.PartitionKeySelector"/> can use to name a request's partition.</summary>
/// <param name="provider">The provider name from the inner client's <see cref="ChatClientMetadata"/>.</param>
/// <param name="model">The model: <see cref="ChatOptions.ModelId"/>, else the client's default model.</param>
/// <param name="user">The end user: the string in <see cref="ChatOptions.AdditionalProperties"/> under <c>"user"</c>.</param>
/// <param name="messages">The request's messages.</param>
/// <param name="options">The request's options.</param>
public sealed class RateLimitPartitionContext(string? provider, string? model, string? user, IEnumerable<ChatMessage> messages, ChatOptions? options)
{
    /// <summary>The <see cref="ChatOptions.AdditionalProperties"/> key read for <see cref="User"/>, as in OpenAI's <c>user</c> field.</summary>
    public const string UserPropertyName = "user";

    /// <summary>Gets the provider name, or <see langword="null"/> when the client does not say.</summary>
    public string? Provider { get; } = provider;

    /// <summary>Gets the model id, or <see langword="null"/> when neither the request nor the client names one.</summary>
    public string? Model { get; } = model;

    /// <summary>
    /// Gets the end user, or <see langword="null"/>. It is read from the request only (no ambient state): an
    /// application that knows its user elsewhere (an HTTP context, a tenant accessor) supplies its own selector.
    /// </summary>
    public string? User { get; } = user;

    /// <summary>Gets the request's messages.</summary>
    public IEnumerable<ChatMessage> Messages { get; } = messages;

    /// <summary>Gets the request's options.</summary>
    public ChatOptions? Options { get; } = options;

    /// <summary>Returns the default partition key, <c>"{provider}/{model}/{user}"</c> with empty parts left empty.</summary>
    /// <returns>The key.</returns>
    public string ToDefaultKey() => string.Concat(Provider, "/", Model, "/", User);
}
