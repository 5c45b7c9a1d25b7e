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
}
