using AiAllin.SK.Testing.VectorData;

namespace AiAllin.SK.Connectors.Postgres.Tests;

/// <summary>
/// An application that references Microsoft's own PostgreSQL connector beside ours still compiles: no registration
/// method of ours shares a name (and so a call) with one of theirs.
/// </summary>
public sealed class RegistrationNamingTests
{
    private const string App = """
        using AiAllin.SK.Connectors.Postgres;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.SemanticKernel;

        public sealed class Doc
        {
            public string Key { get; set; } = "";
        }

        public static class Startup
        {
            public static void Register(IServiceCollection services, string connectionString)
            {
                services.AddPostgresVectorStore(connectionString);
                services.AddPostgresCollection<string, Doc>("docs", connectionString);
                services.AddKeyedPostgresVectorStore("theirs", connectionString);

                services.AddAiAllinPostgresVectorStore(connectionString);
                services.AddAiAllinPostgresVectorStore();
                services.AddAiAllinPostgresVectorStore(connectionString, new PostgresVectorStoreOptions { Schema = "rag" }, ServiceLifetime.Scoped);
                services.AddKeyedAiAllinPostgresVectorStore("ours", connectionString);
                services.AddAiAllinPostgresCollection<string, Doc>("docs", connectionString);
                services.AddAiAllinPostgresCollection<string, Doc>("docs", _ => connectionString);
                services.AddKeyedAiAllinPostgresCollection<string, Doc>("ours", "docs", connectionString, new PostgresCollectionOptions { Schema = "rag" });

                Kernel.CreateBuilder()
                    .AddPostgresVectorStore(connectionString)
                    .AddAiAllinPostgresVectorStore(connectionString)
                    .AddAiAllinPostgresCollection<string, Doc>("docs", connectionString);
            }
        }
        """;

    [Fact]
    public void AppImportingMicrosoftsAndOurNamespaces_Compiles()
    {
        Assert.Empty(AppCompilation.Errors(MicrosoftConnectorSignatures.Postgres, App));
    }

    [Fact]
    public void AMethodNamedLikeMicrosofts_WouldBeAmbiguous()
    {
        // The naming rule exists because this is what an identically named method of ours would do to such an app.
        const string sameName = """
            namespace AiAllin.SK.Connectors.Postgres.SameName
            {
                using Microsoft.Extensions.DependencyInjection;

                public static class Registration
                {
                    public static IServiceCollection AddPostgresVectorStore(
                        this IServiceCollection services, string connectionString, AiAllin.SK.Connectors.Postgres.PostgresVectorStoreOptions? options = null, ServiceLifetime lifetime = ServiceLifetime.Singleton)
                        => services;
                }
            }
            """;
        const string app = """
            using AiAllin.SK.Connectors.Postgres.SameName;
            using Microsoft.Extensions.DependencyInjection;

            public static class Startup
            {
                public static void Register(IServiceCollection services) => services.AddPostgresVectorStore("Host=db");
            }
            """;

        Assert.Contains(AppCompilation.Errors(MicrosoftConnectorSignatures.Postgres, sameName, app), d => d.Id == "CS0121");
    }
}
