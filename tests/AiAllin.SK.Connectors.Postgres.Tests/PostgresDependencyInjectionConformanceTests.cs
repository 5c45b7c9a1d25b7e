using AiAllin.SK.Testing.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.Postgres.Tests;

/// <summary>
/// Runs the shared registration suite against the PostgreSQL store's <c>Add…</c> / <c>AddKeyed…</c> methods, through
/// the connection-string overloads, in the shared test schema.
/// </summary>
public static class PostgresDependencyInjectionConformanceTests
{
    private static readonly IVectorStoreRegistrations Postgres = new PostgresRegistrations();

    public sealed class WithStringKeys : DependencyInjectionConformance<string>
    {
        protected override IVectorStoreRegistrations Registrations => Postgres;
    }

    public sealed class WithLongKeys : DependencyInjectionConformance<long>
    {
        protected override IVectorStoreRegistrations Registrations => Postgres;
    }

    private sealed class PostgresRegistrations : IVectorStoreRegistrations
    {
        public Type StoreType => typeof(PostgresVectorStore);

        public Type CollectionType<TKey, TRecord>()
            where TKey : notnull
            where TRecord : class
            => typeof(PostgresCollection<TKey, TRecord>);

        public void AddVectorStore(IServiceCollection services, object? serviceKey, IEmbeddingGenerator? embeddingGenerator, ServiceLifetime lifetime)
        {
            var options = new PostgresVectorStoreOptions { Schema = PostgresTestStore.Schema, EmbeddingGenerator = embeddingGenerator };
            if (serviceKey is null)
            {
                services.AddAiAllinPostgresVectorStore(PostgresTestStore.ConnectionString, options, lifetime);
            }
            else
            {
                services.AddKeyedAiAllinPostgresVectorStore(serviceKey, PostgresTestStore.ConnectionString, options, lifetime);
            }
        }

        public void AddCollection<TKey, TRecord>(
            IServiceCollection services,
            object? serviceKey,
            string name,
            VectorStoreCollectionDefinition? definition,
            IEmbeddingGenerator? embeddingGenerator,
            ServiceLifetime lifetime)
            where TKey : notnull
            where TRecord : class
        {
            var options = new PostgresCollectionOptions { Schema = PostgresTestStore.Schema, Definition = definition, EmbeddingGenerator = embeddingGenerator };
            if (serviceKey is null)
            {
                services.AddAiAllinPostgresCollection<TKey, TRecord>(name, PostgresTestStore.ConnectionString, options, lifetime);
            }
            else
            {
                services.AddKeyedAiAllinPostgresCollection<TKey, TRecord>(serviceKey, name, PostgresTestStore.ConnectionString, options, lifetime);
            }
        }
    }
}
