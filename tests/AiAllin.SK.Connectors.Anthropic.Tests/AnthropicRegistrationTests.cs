using System.Collections.Concurrent;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Wire = AiAllin.SK.Testing.Providers.WireServer;

namespace AiAllin.SK.Connectors.Anthropic.Tests;

public sealed class AnthropicRegistrationTests
{
    private const string Key = "sk-ant-api03-registration-key-0123456789";

    [Fact]
    public async Task ServiceCollection_FromConfigurationSection_ResolvesAWorkingClient()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(ScriptedReply.WithText("configured"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AiAllin:Anthropic:ApiKey"] = Key,
            ["AiAllin:Anthropic:Model"] = "claude-config",
            ["AiAllin:Anthropic:Endpoint"] = server.BaseAddress.ToString(),
            ["AiAllin:Anthropic:MaxTokens"] = "321",
            ["AiAllin:Anthropic:AnthropicVersion"] = "2023-06-01",
        }).Build();
        var services = new ServiceCollection().AddAnthropicChatClient(configuration);
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi");

        Assert.Equal("configured", response.Text);
        var sent = server.Describe(server.Requests.Single());
        Assert.Equal("claude-config", sent.Model);
        Assert.Equal(321, sent.MaxTokens);
        Assert.Equal(Key, sent.Credential);
        Assert.Equal("2023-06-01", server.Requests.Single().Header("anthropic-version"));
    }

    [Fact]
    public void ServiceCollection_WithMissingKey_FailsAtRegistrationNamingTheSetting()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Claude:Model"] = "claude-x" }).Build();
        var services = new ServiceCollection();

        var exception = Assert.Throws<InvalidOperationException>(() => services.AddAnthropicChatClient(configuration, "Claude"));

        if (Environment.GetEnvironmentVariable("ANTHROPIC_API_KEY") is null)
        {
            Assert.Contains("Claude:ApiKey is required", exception.Message, StringComparison.Ordinal);
        }

        Assert.Empty(services);
    }

    [Fact]
    public void KernelBuilder_WithInvalidTemperature_FailsAtRegistration()
    {
        var builder = Kernel.CreateBuilder();

        var exception = Assert.Throws<InvalidOperationException>(() => builder.AddAnthropicChatClient(o => { o.ApiKey = Key; o.Model = "m"; o.Temperature = 1.5f; }));

        Assert.Contains("AiAllin:Anthropic:Temperature must be between 0 and 1", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KernelBuilder_WithServiceId_RegistersAKeyedClientThatRunsKernelFunctions()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(view => ScriptedReply.WithToolCalls(new ScriptedToolCall("toolu_k", view.ToolNames.Single(n => n.EndsWith("now", StringComparison.Ordinal)), "{}")));
        server.Enqueue(ScriptedReply.WithText("It is noon."));
        var builder = Kernel.CreateBuilder().AddAnthropicChatClient(o => { o.ApiKey = Key; o.Model = "claude-keyed"; o.Endpoint = server.BaseAddress; }, serviceKey: "claude");
        var kernel = builder.Build();
        var calls = 0;
        kernel.Plugins.AddFromFunctions("time", [KernelFunctionFactory.CreateFromMethod(() => { calls++; return "12:00"; }, "now")]);

        var result = await kernel.InvokePromptAsync("What time is it?", new KernelArguments(new PromptExecutionSettings { ServiceId = "claude", FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }));

        Assert.Equal("It is noon.", result.ToString());
        Assert.Equal(1, calls);
        Assert.NotNull(kernel.Services.GetKeyedService<IChatClient>("claude"));
        Assert.Equal(("toolu_k", "12:00"), server.Describe(server.Requests[1]).ToolResults.Single());
    }

    [Fact]
    public async Task HttpClientName_SendsThroughTheNamedClient()
    {
        await using var server = await Wire.StartAsync<AnthropicWireServer>();
        server.Enqueue(ScriptedReply.WithText("named"));
        var paths = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddHttpClient("claude").AddHttpMessageHandler(() => new RecordingHandler(paths));
        services.AddAnthropicChatClient(o => { o.ApiKey = Key; o.Model = "claude-x"; o.Endpoint = server.BaseAddress; o.HttpClientName = "claude"; });
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi");

        Assert.Equal("named", response.Text);
        Assert.Equal([server.Requests.Single().Path], paths);
    }
}
