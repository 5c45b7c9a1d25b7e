using System.ComponentModel;
using AiAllin.SK.Testing.Providers;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Connectors.Gemini.Tests;

// Semantic Kernel runs the tool loop for registered clients; the signature Gemini 3 checks must survive it.
public sealed class GeminiKernelTests
{
    private const string Key = "AIzaSyKernel-0123456789abcdefghijklmnopq";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task KernelToolLoop_SendsTheThoughtSignatureBackOnTheFunctionCall(bool streaming)
    {
        await using var server = await WireServer.StartAsync<GeminiWireServer>();
        server.Enqueue(view => ScriptedReply.WithToolCalls(new ScriptedToolCall("fc_k1", view.ToolNames.Single(), "{\"city\":\"Lisbon\"}")) with { ReasoningChunks = ["Need the ", "forecast."] });
        server.Enqueue(ScriptedReply.WithText("Warm in ", "Lisbon."));
        var kernel = Kernel.CreateBuilder().AddGeminiChatClient(o => { o.Endpoint = server.BaseAddress; o.ApiKey = Key; o.Model = "gemini-3-flash"; }).Build();
        kernel.Plugins.AddFromObject(new Weather(), "weather");
        var settings = new KernelArguments(new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() });

        string answer;
        if (streaming)
        {
            var chunks = new List<string>();
            await foreach (var chunk in kernel.InvokePromptStreamingAsync("Weather in Lisbon?", settings))
            {
                chunks.Add(chunk.ToString());
            }

            answer = string.Concat(chunks);
        }
        else
        {
            answer = (await kernel.InvokePromptAsync("Weather in Lisbon?", settings)).ToString();
        }

        Assert.Equal("Warm in Lisbon.", answer);
        var modelTurn = server.Requests[1].Body!["contents"]![1]!;
        Assert.Equal("model", modelTurn["role"]!.GetValue<string>());
        var call = modelTurn["parts"]!.AsArray().Single(p => p!["functionCall"] is not null)!;
        Assert.Equal(GeminiWireServer.SignatureFor("Need the forecast."), call["thoughtSignature"]!.GetValue<string>());
        Assert.Equal("fc_k1", call["functionCall"]!["id"]!.GetValue<string>());
        var result = server.Requests[1].Body!["contents"]![2]!["parts"]![0]!["functionResponse"]!;
        Assert.Equal("fc_k1", result["id"]!.GetValue<string>());
        Assert.Contains("Lisbon", result["response"]!.ToJsonString(), StringComparison.Ordinal);
    }

    public sealed class Weather
    {
        [KernelFunction("get_forecast")]
        [Description("Gets the forecast for a city.")]
        public string GetForecast([Description("The city")] string city) => $"warm in {city}";
    }
}
