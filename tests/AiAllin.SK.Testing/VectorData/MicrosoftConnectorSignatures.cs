namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Stand-ins for Microsoft's own vector-store connector packages (not on this feed): their registration extension
/// methods with the exact signatures and namespaces they ship with, so that a test can compile an application that
/// imports both theirs and ours. Bodies are empty: only overload resolution is under test.
/// </summary>
public static class MicrosoftConnectorSignatures
{
    /// <summary>
    /// Microsoft.SemanticKernel.Connectors.InMemory: <c>Microsoft.SemanticKernel.InMemoryServiceCollectionExtensions</c>
    /// and <c>InMemoryKernelBuilderExtensions</c> (semantic-kernel <c>dotnet/src/VectorData/InMemory</c>).
    /// </summary>
    public const string InMemory = """
        namespace Microsoft.SemanticKernel.Connectors.InMemory
        {
            public sealed class InMemoryVectorStoreOptions { }
            public sealed class InMemoryCollectionOptions { }
        }

        namespace Microsoft.SemanticKernel
        {
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.SemanticKernel.Connectors.InMemory;

            public static class InMemoryServiceCollectionExtensions
            {
                public static IServiceCollection AddInMemoryVectorStore(this IServiceCollection services, InMemoryVectorStoreOptions? options = default, string? serviceId = default) => services;

                public static IServiceCollection AddInMemoryVectorStoreRecordCollection<TKey, TRecord>(
                    this IServiceCollection services, string collectionName, InMemoryCollectionOptions? options = default, string? serviceId = default)
                    where TKey : notnull
                    where TRecord : class
                    => services;
            }

            public static class InMemoryKernelBuilderExtensions
            {
                public static IKernelBuilder AddInMemoryVectorStore(this IKernelBuilder builder, string? serviceId = default) => builder;
            }
        }
        """;

    /// <summary>
    /// Microsoft.SemanticKernel.Connectors.PgVector: <c>Microsoft.Extensions.DependencyInjection.PostgresServiceCollectionExtensions</c>
    /// (semantic-kernel <c>dotnet/src/VectorData/PgVector</c>; CommunityToolkit's pgvector package declares the same), and the
    /// kernel-builder methods of the earlier <c>Connectors.Postgres</c> package in <c>Microsoft.SemanticKernel</c>.
    /// </summary>
    public const string Postgres = """
        namespace Microsoft.SemanticKernel.Connectors.PgVector
        {
            public sealed class PostgresVectorStoreOptions { }
            public sealed class PostgresCollectionOptions { }
        }

        namespace Microsoft.SemanticKernel.Connectors.Postgres
        {
            public sealed class PostgresVectorStoreOptions { }
        }

        namespace Microsoft.Extensions.DependencyInjection
        {
            using System;
            using Microsoft.SemanticKernel.Connectors.PgVector;

            public static class PostgresServiceCollectionExtensions
            {
                public static IServiceCollection AddPostgresVectorStore(this IServiceCollection services, PostgresVectorStoreOptions? options = default, ServiceLifetime lifetime = ServiceLifetime.Singleton) => services;

                public static IServiceCollection AddPostgresVectorStore(this IServiceCollection services, string connectionString, PostgresVectorStoreOptions? options = default, ServiceLifetime lifetime = ServiceLifetime.Singleton) => services;

                public static IServiceCollection AddKeyedPostgresVectorStore(this IServiceCollection services, object? serviceKey, string connectionString, PostgresVectorStoreOptions? options = default, ServiceLifetime lifetime = ServiceLifetime.Singleton) => services;

                public static IServiceCollection AddPostgresVectorStore(this IServiceCollection services, Func<IServiceProvider, string> connectionStringProvider, Func<IServiceProvider, PostgresVectorStoreOptions?>? optionsProvider = null, ServiceLifetime lifetime = ServiceLifetime.Singleton) => services;

                public static IServiceCollection AddKeyedPostgresVectorStore(this IServiceCollection services, object? serviceKey, Func<IServiceProvider, string> connectionStringProvider, Func<IServiceProvider, PostgresVectorStoreOptions?>? optionsProvider = null, ServiceLifetime lifetime = ServiceLifetime.Singleton) => services;

                public static IServiceCollection AddPostgresCollection<TKey, TRecord>(this IServiceCollection services, string name, PostgresCollectionOptions? options = default, ServiceLifetime lifetime = ServiceLifetime.Singleton)
                    where TKey : notnull
                    where TRecord : class
                    => services;

                public static IServiceCollection AddPostgresCollection<TKey, TRecord>(this IServiceCollection services, string name, string connectionString, PostgresCollectionOptions? options = default, ServiceLifetime lifetime = ServiceLifetime.Singleton)
                    where TKey : notnull
                    where TRecord : class
                    => services;

                public static IServiceCollection AddKeyedPostgresCollection<TKey, TRecord>(this IServiceCollection services, object? serviceKey, string name, string connectionString, PostgresCollectionOptions? options = default, ServiceLifetime lifetime = ServiceLifetime.Singleton)
                    where TKey : notnull
                    where TRecord : class
                    => services;

                public static IServiceCollection AddPostgresCollection<TKey, TRecord>(this IServiceCollection services, string name, Func<IServiceProvider, string> connectionStringProvider, Func<IServiceProvider, PostgresCollectionOptions?>? optionsProvider = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
                    where TKey : notnull
                    where TRecord : class
                    => services;

                public static IServiceCollection AddKeyedPostgresCollection<TKey, TRecord>(this IServiceCollection services, object? serviceKey, string name, Func<IServiceProvider, string> connectionStringProvider, Func<IServiceProvider, PostgresCollectionOptions?>? optionsProvider = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
                    where TKey : notnull
                    where TRecord : class
                    => services;
            }
        }

        namespace Microsoft.SemanticKernel
        {
            using Microsoft.SemanticKernel.Connectors.Postgres;

            public static class PostgresKernelBuilderExtensions
            {
                public static IKernelBuilder AddPostgresVectorStore(this IKernelBuilder builder, PostgresVectorStoreOptions? options = default, string? serviceId = default) => builder;

                public static IKernelBuilder AddPostgresVectorStore(this IKernelBuilder builder, string connectionString, PostgresVectorStoreOptions? options = default, string? serviceId = default) => builder;
            }
        }
        """;
}
