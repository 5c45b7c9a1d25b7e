using AiAllin.SK.Testing.Sessions;
using AiAllin.SK.Connectors.Core.Sessions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace AiAllin.SK.Connectors.InMemory.Tests.Sessions;

public sealed class KernelChatSessionCompletionServiceTests
{
    [Fact]
    public async Task ChatInSession_KernelWithOnlyAChatCompletionService_StillCallsFunctionsAndPersistsTheTurn()
    {
        var model = new ScriptedChatClient();
        var cities = new List<string>();
        var builder = Kernel.CreateBuilder().AddInMemoryChatHistoryStore();
#pragma warning disable SKEXP0001 // SK's IChatClient bridge is how such a service is usually built
        builder.Services.AddSingleton(model.AsChatCompletionService());
#pragma warning restore SKEXP0001
        builder.Plugins.AddFromFunctions("weather", [KernelFunctionFactory.CreateFromMethod((string city) => { cities.Add(city); return $"rain in {city}"; }, "get_forecast")]);
        var kernel = builder.Build();
        var store = kernel.GetRequiredService<IChatHistoryStore>();
        Assert.Null(kernel.Services.GetService<IChatClient>());
        var info = await store.CreateAsync(new() { OwnerId = "o" });

        var result = await kernel.ChatInSessionAsync(store, info.Id, "Weather?");

        Assert.Equal(["Paris"], cities);
        Assert.Equal("Here is the forecast: rain in Paris", result.Text);
        var stored = (await store.GetAsync(info.Id))!.Messages;
        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.Assistant], stored.Select(m => m.Role));
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(stored[1].Contents));
        Assert.Equal(call.CallId, Assert.IsType<FunctionResultContent>(Assert.Single(stored[2].Contents)).CallId);
    }
}
