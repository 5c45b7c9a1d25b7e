using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AiAllin.SK.Connectors.OpenAI.Tests.Azure;

/// <summary>
/// The version trap: Azure.AI.OpenAI 2.1.0 (the stable release) calls an OpenAI SDK member that OpenAI 2.15 removed,
/// so a process that has it next to Semantic Kernel's OpenAI connector fails with MissingMethodException. Our Azure
/// client is built on the OpenAI SDK alone; these tests run it and SK's own OpenAI connector side by side.
/// </summary>
public sealed class AzureSemanticKernelCoexistenceTests : IAsyncLifetime
{
    private const string Key = "sk-coexistence-0123456789abcdef0123456789abcdef";
    private OpenAIWireServer _server = null!;

    public async Task InitializeAsync() => _server = await WireServer.StartAsync<OpenAIWireServer>();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AzureChatAndSemanticKernelsOpenAIConnector_BothWorkInOneProcessAndOneKernel()
    {
        _server.Enqueue(ScriptedReply.WithText("from Azure"), ScriptedReply.WithText("from SK's OpenAI connector"), ScriptedReply.WithText("SK ", "streams"));
        var builder = Kernel.CreateBuilder();
        builder.AddAzureOpenAIChatClient(o =>
        {
            o.Endpoint = _server.BaseAddress;
            o.ApiKey = Key;
            o.Deployment = "azure-deployment";
        }, serviceKey: "azure");
#pragma warning disable SKEXP0010 // The custom-endpoint overload is how SK's connector reaches a local server.
        builder.AddOpenAIChatCompletion("sk-model", new Uri(_server.BaseAddress, "v1"), Key, serviceId: "sk-openai");
#pragma warning restore SKEXP0010
        var kernel = builder.Build();

        var azure = await kernel.InvokePromptAsync("Hi Azure", new KernelArguments(new PromptExecutionSettings { ServiceId = "azure" }));
        var sk = await kernel.GetRequiredService<IChatCompletionService>("sk-openai").GetChatMessageContentAsync("Hi SK");
        var skStream = new List<string>();
        await foreach (var chunk in kernel.GetRequiredService<IChatCompletionService>("sk-openai").GetStreamingChatMessageContentsAsync("Stream, SK"))
        {
            skStream.Add(chunk.Content ?? string.Empty);
        }

        Assert.Equal("from Azure", azure.ToString());
        Assert.Equal("from SK's OpenAI connector", sk.Content);
        Assert.Equal("SK streams", string.Concat(skStream));
        Assert.Equal("/openai/deployments/azure-deployment/chat/completions", _server.Requests[0].Path);
        Assert.Equal(Key, _server.Requests[0].Header("api-key"));
        Assert.Equal("/v1/chat/completions", _server.Requests[1].Path);
        Assert.Equal("Bearer " + Key, _server.Requests[1].Header("authorization"));
    }

    [Fact]
    public async Task SemanticKernelsOpenAIChatClient_AndAzureChatClient_ShareTheOpenAISdkLoadedInTheProcess()
    {
        _server.Enqueue(ScriptedReply.WithText("sk chat client"), ScriptedReply.WithText("azure chat client"));
        var services = new ServiceCollection();
        services.AddAzureOpenAIChatClient(o =>
        {
            o.Endpoint = _server.BaseAddress;
            o.ApiKey = Key;
            o.Deployment = "azure-deployment";
        }, serviceKey: "azure");
#pragma warning disable SKEXP0010
        services.AddOpenAIChatClient("sk-model", new Uri(_server.BaseAddress, "v1"), Key, serviceId: "sk");
#pragma warning restore SKEXP0010
        await using var provider = services.BuildServiceProvider();

        var sk = await provider.GetRequiredKeyedService<IChatClient>("sk").GetResponseAsync("one");
        var azure = await provider.GetRequiredKeyedService<IChatClient>("azure").GetResponseAsync("two");

        Assert.Equal("sk chat client", sk.Text);
        Assert.Equal("azure chat client", azure.Text);
        Assert.Equal(typeof(global::OpenAI.Chat.ChatClient).Assembly, sk.RawRepresentation!.GetType().Assembly);
        Assert.Equal(typeof(global::OpenAI.Chat.ChatClient).Assembly, azure.RawRepresentation!.GetType().Assembly);
        Assert.True(typeof(global::OpenAI.Chat.ChatClient).Assembly.GetName().Version >= new Version(2, 15), "the process runs OpenAI 2.15 or later");
    }

    [Fact]
    public void Connector_DoesNotDependOnAzureAIOpenAI()
    {
        var references = typeof(AzureOpenAIOptions).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("OpenAI", references);
        Assert.DoesNotContain("Azure.AI.OpenAI", references);
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "Azure.AI.OpenAI");
    }
}
