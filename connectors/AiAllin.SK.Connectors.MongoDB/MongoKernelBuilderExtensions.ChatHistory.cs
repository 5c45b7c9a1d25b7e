using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.MongoDB.Sessions;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>Registers the MongoDB chat-history store on an <see cref="IKernelBuilder"/>.</summary>
public static partial class MongoKernelBuilderExtensions
{
    /// <summary>Registers a singleton <see cref="MongoChatHistoryStore"/>, also resolvable as <see cref="IChatHistoryStore"/>.</summary>
    /// <param name="builder">The kernel builder.</param>
    /// <param name="connectionString">The MongoDB connection string.</param>
    /// <param name="databaseName">The database that holds the chat collections.</param>
    /// <param name="configure">Configures the store options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The kernel builder, for chaining.</returns>
    public static IKernelBuilder AddMongoChatHistoryStore(
        this IKernelBuilder builder, string connectionString, string databaseName, Action<ChatHistoryStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddMongoChatHistoryStore(connectionString, databaseName, configure);
        return builder;
    }
}
