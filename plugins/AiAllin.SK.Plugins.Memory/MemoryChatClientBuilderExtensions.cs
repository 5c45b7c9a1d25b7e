using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>Adds automatic memory recall to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class MemoryChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="MemoryRecallChatClient"/> to the pipeline.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="memory">The memory; <see langword="null"/> resolves <see cref="SemanticMemory"/> from the services.</param>
    /// <param name="configure">Adjusts the recall options.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ChatClientBuilder UseAiAllinMemoryRecall(this ChatClientBuilder builder, SemanticMemory? memory = null, Action<MemoryRecallOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new MemoryRecallOptions();
        configure?.Invoke(options);
        return builder.Use((inner, services) => new MemoryRecallChatClient(
            inner,
            memory ?? services.GetRequiredService<SemanticMemory>(),
            services.GetService<IMemoryScopeProvider>(),
            options));
    }
}
