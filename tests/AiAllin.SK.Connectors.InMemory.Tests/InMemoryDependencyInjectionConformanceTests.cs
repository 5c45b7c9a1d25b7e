using AiAllin.SK.Testing.VectorData;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;

namespace AiAllin.SK.Connectors.InMemory.Tests;

/// <summary>Runs the shared registration suite against the in-memory store's <c>Add…</c> / <c>AddKeyed…</c> methods.</summary>
public static class InMemoryDependencyInjectionConformanceTests
{
    private static readonly IVectorStoreRegistrations InMemory = new InMemoryRegistrations();

    public sealed class WithStringKeys : DependencyInjectionConformance<string>
    {
        protected override IVectorStoreRegistrations Registrations => InMemory;
    }

    public sealed class WithGuidKeys : DependencyInjectionConformance<Guid>
    {
        protected override IVectorStoreRegistrations Registrations => InMemory;
    }

    private sealed class InMemoryRegistrations : IVectorStoreRegistrations
    {
        public Type StoreType => typeof(InMemoryVectorStore);

        public Type CollectionType<TKey, TRecord>()
            where TKey : notnull
            where TRecord : class
            => typeof(InMemoryCollection<TKey, TRecord>);

        public void AddVectorStore(IServiceCollection services, object? serviceKey, IEmbeddingGenerator? embeddingGenerator, ServiceLifetime lifetime)
        {
            var options = new InMemoryVectorStoreOptions { EmbeddingGenerator = embeddingGenerator };
            if (serviceKey is null)
            {
                services.AddAiAllinInMemoryVectorStore(options, lifetime);
            }
            else
            {
                services.AddKeyedAiAllinInMemoryVectorStore(serviceKey, options, lifetime);
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
            var options = new InMemoryCollectionOptions { Definition = definition, EmbeddingGenerator = embeddingGenerator };
            if (serviceKey is null)
            {
                services.AddAiAllinInMemoryCollection<TKey, TRecord>(name, options, lifetime);
            }
            else
            {
                services.AddKeyedAiAllinInMemoryCollection<TKey, TRecord>(serviceKey, name, options, lifetime);
            }
        }
    }
}
