using Microsoft.SemanticKernel;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>Registers the memory plugin on an <see cref="IKernelBuilder"/>.</summary>
public static class MemoryKernelBuilderExtensions
{
    /// <summary>Registers the memory and its kernel functions. See <see cref="MemoryServiceCollectionExtensions.AddMemoryPlugin"/>.</summary>
    /// <param name="builder">The kernel builder; register a vector store and an embedding generator too.</param>
    /// <param name="configure">Adjusts the memory's options.</param>
    /// <param name="pluginName">The plugin name the model sees.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddMemoryPlugin(this IKernelBuilder builder, Action<SemanticMemoryOptions>? configure = null, string pluginName = "memory")
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMemoryPlugin(configure, pluginName);
        return builder;
    }

    /// <summary>Registers automatic recall into rendered prompts. See <see cref="MemoryServiceCollectionExtensions.AddMemoryRecall"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="configure">Adjusts the recall options.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddMemoryRecall(this IKernelBuilder builder, Action<MemoryRecallOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMemoryRecall(configure);
        return builder;
    }

    /// <summary>Registers the memory as SK's <c>ITextSearch</c>. See <see cref="MemoryServiceCollectionExtensions.AddMemoryTextSearch"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="mode">The ranking.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddMemoryTextSearch(this IKernelBuilder builder, MemorySearchMode mode = MemorySearchMode.Vector)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMemoryTextSearch(mode);
        return builder;
    }
}
