using AiAllin.SK.Testing.VectorData;

namespace AiAllin.SK.Connectors.InMemory.Tests;

/// <summary>
/// An application that references Microsoft's own in-memory connector beside ours still compiles: no registration
/// method of ours shares a name (and so a call) with one of theirs.
/// </summary>
public sealed class RegistrationNamingTests
{
    private const string App = """
        using AiAllin.SK.Connectors.InMemory;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;

        public sealed class Doc
        {
            public string Key { get; set; } = "";
        }

        public static class Startup
        {
            public static void Register(IServiceCollection services)
            {
                services.AddInMemoryVectorStore();
                services.AddInMemoryVectorStoreRecordCollection<string, Doc>("docs");

                services.AddAiAllinInMemoryVectorStore();
                services.AddAiAllinInMemoryVectorStore(new() { EmbeddingGenerator = null });
                services.AddKeyedAiAllinInMemoryVectorStore("ours", lifetime: ServiceLifetime.Transient);
                services.AddAiAllinInMemoryCollection<string, Doc>("docs");
                services.AddKeyedAiAllinInMemoryCollection<string, Doc>("ours", "docs", new InMemoryCollectionOptions());

                Kernel.CreateBuilder()
                    .AddInMemoryVectorStore()
                    .AddAiAllinInMemoryVectorStore()
                    .AddAiAllinInMemoryCollection<string, Doc>("docs");
            }
        }
        """;

    [Fact]
    public void AppImportingMicrosoftsAndOurNamespaces_Compiles()
    {
        Assert.Empty(AppCompilation.Errors(MicrosoftConnectorSignatures.InMemory, App));
    }

    [Fact]
    public void AMethodNamedLikeMicrosofts_WouldBeAmbiguous()
    {
        // The naming rule exists because this is what an identically named method of ours would do to such an app.
        const string sameName = """
            namespace AiAllin.SK.Connectors.InMemory.SameName
            {
                using Microsoft.SemanticKernel;

                public static class Registration
                {
                    public static IKernelBuilder AddInMemoryVectorStore(this IKernelBuilder builder, AiAllin.SK.Connectors.InMemory.InMemoryVectorStoreOptions? options = null) => builder;
                }
            }
            """;
        const string app = """
            using AiAllin.SK.Connectors.InMemory.SameName;
            using Microsoft.SemanticKernel;

            public static class Startup
            {
                public static IKernelBuilder Register() => Kernel.CreateBuilder().AddInMemoryVectorStore();
            }
            """;

        Assert.Contains(AppCompilation.Errors(MicrosoftConnectorSignatures.InMemory, sameName, app), d => d.Id == "CS0121");
    }
}
