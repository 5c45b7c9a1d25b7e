using AiAllin.SK.Testing.Conditional;
using AiAllin.SK.Testing.Servers;
using AiAllin.SK.Testing.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>
/// Runs the shared registration suite against the MongoDB store's <c>Add…</c> / <c>AddKeyed…</c> methods, through the
/// connection-string overloads, in the test database (skipped with the reason when no server is configured).
/// </summary>
[RequiresServer(TestServers.MongoVariable, RequiredInCi = false)]
public static class MongoDependencyInjectionConformanceTests
{
    private static readonly IVectorStoreRegistrations Mongo = new MongoRegistrations();

    public sealed class WithStringKeys : DependencyInjectionConformance<string>
    {
        protected override IVectorStoreRegistrations Registrations => Mongo;
    }

    public sealed class WithLongKeys : DependencyInjectionConformance<long>
    {
        protected override IVectorStoreRegistrations Registrations => Mongo;
    }

    private sealed class MongoRegistrations : IVectorStoreRegistrations
    {
        public Type StoreType => typeof(MongoVectorStore);

        public Type CollectionType<TKey, TRecord>()
            where TKey : notnull
            where TRecord : class
            => typeof(MongoCollection<TKey, TRecord>);

        public void AddVectorStore(IServiceCollection services, object? serviceKey, IEmbeddingGenerator? embeddingGenerator, ServiceLifetime lifetime)
        {
            var options = new MongoVectorStoreOptions { EmbeddingGenerator = embeddingGenerator, VectorSearchMode = MongoVectorSearchMode.ExactScan };
            if (serviceKey is null)
            {
                services.AddAiAllinMongoVectorStore(MongoTestStore.ConnectionString, MongoTestStore.DatabaseName, options, lifetime);
            }
            else
            {
                services.AddKeyedAiAllinMongoVectorStore(serviceKey, MongoTestStore.ConnectionString, MongoTestStore.DatabaseName, options, lifetime);
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
            var options = new MongoCollectionOptions { Definition = definition, EmbeddingGenerator = embeddingGenerator, VectorSearchMode = MongoVectorSearchMode.ExactScan };
            if (serviceKey is null)
            {
                services.AddAiAllinMongoCollection<TKey, TRecord>(name, MongoTestStore.ConnectionString, MongoTestStore.DatabaseName, options, lifetime);
            }
            else
            {
                services.AddKeyedAiAllinMongoCollection<TKey, TRecord>(serviceKey, name, MongoTestStore.ConnectionString, MongoTestStore.DatabaseName, options, lifetime);
            }
        }
    }
}
