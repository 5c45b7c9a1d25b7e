using AiAllin.SK.Connectors.Core.Streaming;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;
using static AiAllin.SK.Connectors.Core.Tests.Streaming.ScriptedStreamClient;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace AiAllin.SK.Connectors.Core.Tests.Streaming;

public sealed class KernelStreamingTests
{
    private readonly ScriptedStreamClient _model = new();
    private readonly List<string> _forecasts = [];
    private readonly Kernel _kernel;

    public KernelStreamingTests()
    {
        var builder = Kernel.CreateBuilder();
        builder.Services.AddSingleton<IChatClient>(sp => _model.AsBuilder().UseKernelFunctionInvocation().Build(sp));
        builder.Plugins.AddFromFunctions("weather", [
            KernelFunctionFactory.CreateFromMethod((string city) => { _forecasts.Add(city); return $"sunny in {city}"; }, "get_forecast", "Gets the forecast for a city."),
        ]);
        _kernel = builder.Build();
    }

    private static IEnumerable<ChatResponseUpdate> CallForecast(ChatOptions? options)
    {
        var tool = options!.Tools!.OfType<AIFunction>().Single(t => t.Name.EndsWith("get_forecast", StringComparison.Ordinal));
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("call-1", tool.Name, new Dictionary<string, object?> { ["city"] = "Paris" })]) { MessageId = "m1" };
    }

    [Fact]
    public async Task StreamPrompt_WithAutoFunctionCalling_InvokesThePluginMidStreamAndContinuesWithTheNextTurn()
    {
        _model.Then(CallForecast).Then([Text("Paris: "), Text("sunny in Paris.")]);
        var tokens = new List<StreamToken>();
        var arguments = new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() }) { ["city"] = "Paris" };

        var response = await _kernel.StreamPromptAsync("Weather in {{$city}}?", tokens.Add, arguments);

        Assert.Equal(["Paris"], _forecasts);
        Assert.Equal("Weather in Paris?", _model.Requests[0][^1].Text);
        var call = Assert.IsType<FunctionCallContent>(tokens.Single(t => t.Phase == StreamPhase.ToolCall).Content);
        Assert.Equal("call-1", call.CallId);
        var result = Assert.IsType<FunctionResultContent>(tokens.Single(t => t.Phase == StreamPhase.ToolResult).Content);
        Assert.Equal("sunny in Paris", result.Result?.ToString());
        Assert.Equal("Paris: sunny in Paris.", string.Concat(tokens.Where(t => t.Phase == StreamPhase.Answer).Select(t => t.Text)));
        Assert.All(tokens.Where(t => t.Phase == StreamPhase.Answer), t => Assert.Equal(1, t.Turn));
        Assert.Equal("Paris: sunny in Paris.", response.Messages[^1].Text);
    }

    [Fact]
    public async Task StreamFunction_StreamsAPromptFunctionWithAnAsyncCallback()
    {
        _model.Then([Text("Hello "), Text("Ada")]);
        var function = _kernel.CreateFunctionFromPrompt("Greet {{$name}}");
        var delivered = new List<string>();

        var response = await _kernel.StreamFunctionAsync(function, async (token, ct) => { await Task.Yield(); delivered.Add(token.Text); }, new KernelArguments { ["name"] = "Ada" });

        Assert.Equal("Greet Ada", _model.Requests[0][^1].Text);
        Assert.Equal("Hello Ada", string.Concat(delivered));
        Assert.Equal("Hello Ada", response.Text);
    }

    [Fact]
    public async Task StreamPrompt_WhenTheStreamFails_ThrowsWithWhatWasDelivered()
    {
        _model.Then([Text("Half "), Text("an answer")], new HttpRequestException("connection reset"));
        var delivered = new List<string>();

        var ex = await Assert.ThrowsAsync<ChatStreamException>(() => _kernel.StreamPromptAsync("Tell me", t => delivered.Add(t.Text)));

        Assert.Equal("Half an answer", ex.PartialText);
        Assert.Equal("Half an answer", string.Concat(delivered));
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Equal(1, _model.Disposed);
    }
}
