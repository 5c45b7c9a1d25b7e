using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Azure;

/// <summary>Binding, environment defaults and startup validation of <see cref="AzureOpenAIOptions"/>.</summary>
public sealed class AzureOptionsTests
{
    private const string Key = "azure-key-0123456789abcdef0123456789abcdef";

    [Fact]
    public void Binding_ReadsEverySettingFromTheAiAllinAzureOpenAISection()
    {
        var configuration = Configuration(new()
        {
            ["AiAllin:AzureOpenAI:Endpoint"] = "https://my-resource.openai.azure.com/",
            ["AiAllin:AzureOpenAI:ApiKey"] = Key,
            ["AiAllin:AzureOpenAI:Deployment"] = "gpt-4o-prod",
            ["AiAllin:AzureOpenAI:EmbeddingDeployment"] = "embeddings-prod",
            ["AiAllin:AzureOpenAI:EmbeddingDimensions"] = "256",
            ["AiAllin:AzureOpenAI:ApiVersion"] = "2025-04-01-preview",
            ["AiAllin:AzureOpenAI:MaxTokens"] = "500",
            ["AiAllin:AzureOpenAI:TokenScope"] = "https://ai.azure.com/.default",
        });

        var options = OpenAIServiceCollectionExtensions.CompleteAzureOpenAIOptions(
            o => configuration.GetSection(AzureOpenAIOptions.DefaultSectionName).Bind(o), _ => null, AzureOpenAIOptions.DefaultSectionName, forEmbeddings: false);

        Assert.Equal(new Uri("https://my-resource.openai.azure.com/"), options.Endpoint);
        Assert.Equal(Key, options.ApiKey);
        Assert.Equal("gpt-4o-prod", options.EffectiveDeployment);
        Assert.Equal("embeddings-prod", options.EffectiveEmbeddingDeployment);
        Assert.Equal(256, options.EmbeddingDimensions);
        Assert.Equal("2025-04-01-preview", options.EffectiveApiVersion);
        Assert.Equal(500, options.MaxTokens);
        Assert.Equal("https://ai.azure.com/.default", options.TokenScope);
        Assert.Null(options.Credential);
    }

    [Fact]
    public void EnvironmentDefaults_FillUnsetSettingsFromTheUsualVariables()
    {
        var variables = new Dictionary<string, string>
        {
            ["AZURE_OPENAI_ENDPOINT"] = "https://env-resource.openai.azure.com/",
            ["AZURE_OPENAI_API_KEY"] = Key,
            ["AZURE_OPENAI_DEPLOYMENT_NAME"] = "env-chat",
            ["AZURE_OPENAI_EMBEDDING_DEPLOYMENT_NAME"] = "env-embeddings",
            ["OPENAI_API_VERSION"] = "2024-06-01",
        };
        var options = new AzureOpenAIOptions();

        options.ApplyEnvironmentDefaults(name => variables.GetValueOrDefault(name));

        Assert.Equal(new Uri("https://env-resource.openai.azure.com/"), options.Endpoint);
        Assert.Equal(Key, options.ApiKey);
        Assert.Equal("env-chat", options.EffectiveDeployment);
        Assert.Equal("env-embeddings", options.EffectiveEmbeddingDeployment);
        Assert.Equal("2024-06-01", options.EffectiveApiVersion);
        Assert.Empty(options.GetValidationErrors(AzureOpenAIOptions.DefaultSectionName, forEmbeddings: false));
    }

    [Fact]
    public void EnvironmentDefaults_NeverOverrideExplicitSettings()
    {
        var options = new AzureOpenAIOptions { Endpoint = new Uri("https://code.openai.azure.com/"), Deployment = "from-code", ApiVersion = "v1" };

        options.ApplyEnvironmentDefaults(name => name switch
        {
            "AZURE_OPENAI_ENDPOINT" => "https://env.openai.azure.com/",
            "AZURE_OPENAI_DEPLOYMENT" => "from-env",
            "AZURE_OPENAI_API_VERSION" => "2024-06-01",
            _ => null,
        });

        Assert.Equal("code.openai.azure.com", options.Endpoint.Host);
        Assert.Equal("from-code", options.EffectiveDeployment);
        Assert.True(options.UsesV1Api);
    }

    [Fact]
    public void Deployment_DefaultsFromModel()
    {
        var options = new AzureOpenAIOptions { Model = "gpt-4o-mini" };

        Assert.Equal("gpt-4o-mini", options.EffectiveDeployment);
        Assert.Equal("gpt-4o-mini", options.EffectiveEmbeddingDeployment);
    }

    [Fact]
    public void Validation_WithNothingSet_NamesEndpointKeyAndDeploymentWithTheirVariables()
    {
        var message = Assert.Throws<InvalidOperationException>(() => new AzureOpenAIOptions().Validate("AiAllin:AzureOpenAI", forEmbeddings: false)).Message;

        Assert.Contains("AiAllin:AzureOpenAI:Endpoint is required", message, StringComparison.Ordinal);
        Assert.Contains("AZURE_OPENAI_ENDPOINT", message, StringComparison.Ordinal);
        Assert.Contains("AiAllin:AzureOpenAI:ApiKey is required unless a TokenCredential is set", message, StringComparison.Ordinal);
        Assert.Contains("AZURE_OPENAI_API_KEY", message, StringComparison.Ordinal);
        Assert.Contains("AiAllin:AzureOpenAI:Deployment", message, StringComparison.Ordinal);
        Assert.Contains("AZURE_OPENAI_DEPLOYMENT", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_ForEmbeddings_NamesTheEmbeddingDeployment()
    {
        var options = new AzureOpenAIOptions { Endpoint = new Uri("https://r.openai.azure.com/"), ApiKey = Key };

        var errors = options.GetValidationErrors("AiAllin:AzureOpenAI", forEmbeddings: true);

        var error = Assert.Single(errors);
        Assert.Contains("AiAllin:AzureOpenAI:EmbeddingDeployment", error, StringComparison.Ordinal);
        Assert.Contains("AZURE_OPENAI_EMBEDDING_DEPLOYMENT", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://my-resource.openai.azure.com/", "uses http://")]
    [InlineData("ftp://my-resource.openai.azure.com/", "must use https://")]
    public void Validation_RejectsInsecureOrForeignSchemesOffLoopback(string endpoint, string expected)
    {
        var options = new AzureOpenAIOptions { Endpoint = new Uri(endpoint), ApiKey = Key, Deployment = "d" };

        var message = Assert.Throws<InvalidOperationException>(() => options.Validate("AiAllin:AzureOpenAI", forEmbeddings: false)).Message;

        Assert.Contains("AiAllin:AzureOpenAI:Endpoint", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_AcceptsPlainHttpOnLoopback()
    {
        var options = new AzureOpenAIOptions { Endpoint = new Uri("http://127.0.0.1:5000/"), ApiKey = Key, Deployment = "d" };

        Assert.Empty(options.GetValidationErrors("AiAllin:AzureOpenAI", forEmbeddings: false));
    }

    [Fact]
    public void Validation_RejectsBothKeyAndCredential()
    {
        var options = new AzureOpenAIOptions { Endpoint = new Uri("https://r.openai.azure.com/"), ApiKey = Key, Credential = new AzureTestCredential("t"), Deployment = "d" };

        var error = Assert.Single(options.GetValidationErrors("AiAllin:AzureOpenAI", forEmbeddings: false));

        Assert.Contains("both set", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_AcceptsACredentialWithoutAKey()
    {
        var options = new AzureOpenAIOptions { Endpoint = new Uri("https://r.openai.azure.com/"), Credential = new AzureTestCredential("t"), Deployment = "d" };

        Assert.Empty(options.GetValidationErrors("AiAllin:AzureOpenAI", forEmbeddings: false));
    }

    [Theory]
    [InlineData("2024-10-21", true)]
    [InlineData("2025-04-01-preview", true)]
    [InlineData("v1", true)]
    [InlineData("preview", true)]
    [InlineData("latest&evil=1", false)]
    [InlineData("2024-13-45", false)]
    [InlineData("yesterday", false)]
    public void Validation_ChecksTheApiVersionShape(string version, bool valid)
    {
        var options = new AzureOpenAIOptions { Endpoint = new Uri("https://r.openai.azure.com/"), ApiKey = Key, Deployment = "d", ApiVersion = version };

        var errors = options.GetValidationErrors("AiAllin:AzureOpenAI", forEmbeddings: false);

        Assert.Equal(valid, errors.Count == 0);
        if (!valid)
        {
            Assert.Contains("AiAllin:AzureOpenAI:ApiVersion", Assert.Single(errors), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ToString_NeverShowsTheKey()
    {
        var options = new AzureOpenAIOptions { Endpoint = new Uri("https://r.openai.azure.com/"), ApiKey = Key, Deployment = "chat" };

        var text = options.ToString();

        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.Contains("Deployment = chat", text, StringComparison.Ordinal);
        Assert.Contains("ApiVersion = 2024-10-21", text, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonSerialization_LeavesOutTheKeyAndTheCredential()
    {
        var options = new AzureOpenAIOptions { Endpoint = new Uri("https://r.openai.azure.com/"), ApiKey = Key, Credential = new AzureTestCredential("secret-token-0123456789"), Deployment = "chat" };

        var json = System.Text.Json.JsonSerializer.Serialize(options);

        Assert.DoesNotContain(Key, json, StringComparison.Ordinal);
        Assert.DoesNotContain("Credential", json, StringComparison.Ordinal);
        Assert.Contains("\"Deployment\":\"chat\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_WithAMissingEndpoint_FailsAtStartupNamingTheSetting()
    {
        var configuration = Configuration(new() { ["Custom:Azure:ApiKey"] = Key, ["Custom:Azure:Deployment"] = "d" });
        var services = new ServiceCollection();

        var message = Assert.Throws<InvalidOperationException>(() => services.AddAzureOpenAIChatClient(configuration, "Custom:Azure")).Message;

        Assert.Contains("Custom:Azure:Endpoint is required", message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, message, StringComparison.Ordinal);
        Assert.Empty(services);
    }

    [Fact]
    public void Registration_OnTheKernelBuilder_FailsAtStartupForAnInsecureEndpoint()
    {
        var builder = Kernel.CreateBuilder();

        var message = Assert.Throws<InvalidOperationException>(() => builder.AddAzureOpenAIChatClient(o =>
        {
            o.Endpoint = new Uri("http://10.1.2.3/");
            o.ApiKey = Key;
            o.Deployment = "d";
        })).Message;

        Assert.Contains("AiAllin:AzureOpenAI:Endpoint uses http://", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_FromConfiguration_RegistersChatClientAndEmbeddingGeneratorUnderTheirKeys()
    {
        var configuration = Configuration(new()
        {
            ["AiAllin:AzureOpenAI:Endpoint"] = "https://my-resource.openai.azure.com/",
            ["AiAllin:AzureOpenAI:ApiKey"] = Key,
            ["AiAllin:AzureOpenAI:Deployment"] = "chat",
            ["AiAllin:AzureOpenAI:EmbeddingDeployment"] = "embeddings",
        });
        var services = new ServiceCollection();

        services.AddAzureOpenAIChatClient(configuration, serviceKey: "azure");
        services.AddAzureOpenAIEmbeddingGenerator(configuration);
        using var provider = services.BuildServiceProvider();

        var chat = provider.GetRequiredKeyedService<IChatClient>("azure");
        var embeddings = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        Assert.Equal("chat", chat.GetService<ChatClientMetadata>()?.DefaultModelId);
        Assert.Equal("embeddings", embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values)
        => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
