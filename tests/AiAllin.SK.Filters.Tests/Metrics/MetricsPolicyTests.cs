using System.Diagnostics;
using System.Net;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.Metrics;
using AiAllin.SK.Filters.Tests.TestSupport;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Tests.Metrics;

public sealed class MetricsPolicyTests
{
    private const string RequestModel = "gen_ai.request.model";

    private static ScriptedChatClient Inner(string model, params ScriptedTurn[] turns) =>
        new(turns) { Metadata = new ChatClientMetadata("scripted", new Uri("http://models.local:8080/"), model) };

    private static string UniqueModel() => "model-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task Chat_RecordsDurationAndTokenUsage_WithGenAiTags()
    {
        using var recorder = new MeasurementRecorder(MetricsPolicy.SourceName);
        var model = UniqueModel();
        var inner = Inner(model, ScriptedTurn.FromText("hi").WithUsage(11, 3).WithModel(model + "-2025"));
        using var client = new ChatClientBuilder(inner).UseAiAllinMetrics().Build();

        await client.GetResponseAsync("hello");

        var duration = Assert.Single(recorder.For("gen_ai.client.operation.duration", RequestModel, model));
        Assert.True(duration.Value > 0);
        Assert.Equal("chat", duration.Tag("gen_ai.operation.name"));
        Assert.Equal("scripted", duration.Tag("gen_ai.provider.name"));
        Assert.Equal(model + "-2025", duration.Tag("gen_ai.response.model"));
        Assert.Equal("models.local", duration.Tag("server.address"));
        Assert.Equal("8080", duration.Tag("server.port"));
        Assert.Null(duration.Tag("error.type"));
        var tokens = recorder.For("gen_ai.client.token.usage", RequestModel, model);
        Assert.Equal(11, Assert.Single(tokens, t => t.Tag("gen_ai.token.type") == "input").Value);
        Assert.Equal(3, Assert.Single(tokens, t => t.Tag("gen_ai.token.type") == "output").Value);
        Assert.Empty(recorder.For("gen_ai.client.operation.time_to_first_chunk", RequestModel, model));
    }

    [Fact]
    public async Task Streaming_RecordsTheConventionsChunkTimes_AndOwnPerTokenRatesUnderAiAllin()
    {
        using var recorder = new MeasurementRecorder(MetricsPolicy.SourceName);
        var model = UniqueModel();
        var inner = Inner(model, ScriptedTurn.FromText("a", "b", "c", "d") with { ChunkDelay = TimeSpan.FromMilliseconds(20) });
        using var client = new ChatClientBuilder(inner).UseAiAllinMetrics().Build();

        await TestKernels.ToListAsync(client.GetStreamingResponseAsync("go", new ChatOptions { ModelId = model }));

        var ttft = Assert.Single(recorder.For("gen_ai.client.operation.time_to_first_chunk", RequestModel, model)).Value;
        var total = Assert.Single(recorder.For("gen_ai.client.operation.duration", RequestModel, model)).Value;
        var gaps = recorder.For("gen_ai.client.operation.time_per_output_chunk", RequestModel, model).Select(m => m.Value).ToList();
        var perToken = Assert.Single(recorder.For("aiallin.client.time_per_output_token", RequestModel, model)).Value;
        var rate = Assert.Single(recorder.For("aiallin.client.output_tokens_per_second", RequestModel, model)).Value;
        Assert.InRange(ttft, double.Epsilon, total);
        Assert.Equal(3, gaps.Count);
        Assert.All(gaps, gap => Assert.InRange(gap, double.Epsilon, total - ttft));
        Assert.Equal((total - ttft) / 3, perToken, tolerance: 1e-9);
        Assert.Equal(1 / perToken, rate, tolerance: 1e-9);
        Assert.DoesNotContain(recorder.All, m => m.Instrument.StartsWith("gen_ai.server.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Failures_AreRecordedWithTheirErrorType_StatusCodeForProviderErrors()
    {
        using var recorder = new MeasurementRecorder(MetricsPolicy.SourceName);
        var model = UniqueModel();
        var inner = Inner(
            model,
            ScriptedTurn.Throw(new ProviderException("OpenAI", HttpStatusCode.TooManyRequests, "rate_limit_exceeded", "slow down")),
            ScriptedTurn.FromText("a", "b") with { Error = new InvalidOperationException("broken"), FailAfter = 1 });
        using var client = new ChatClientBuilder(inner).UseAiAllinMetrics().Build();

        await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("x"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => TestKernels.ToListAsync(client.GetStreamingResponseAsync("x")));

        var errors = recorder.For("gen_ai.client.operation.duration", RequestModel, model).Select(m => m.Tag("error.type")).ToList();
        Assert.Equal(["429", "System.InvalidOperationException"], errors);
    }

    [Fact]
    public async Task Chat_StartsAChatSpanWithGenAiTags()
    {
        var model = UniqueModel();
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == MetricsPolicy.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.DisplayName == $"chat {model}")
                {
                    lock (spans)
                    {
                        spans.Add(a);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var inner = Inner(model, ScriptedTurn.FromText("x", "y").WithUsage(8, 2), ScriptedTurn.Throw(new InvalidOperationException("nope")));
        using var client = new ChatClientBuilder(inner).UseAiAllinMetrics().Build();

        await TestKernels.ToListAsync(client.GetStreamingResponseAsync("x"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResponseAsync("x"));

        Assert.Equal(2, spans.Count);
        var ok = spans[0];
        Assert.Equal(ActivityKind.Client, ok.Kind);
        Assert.Equal("chat", ok.GetTagItem("gen_ai.operation.name"));
        Assert.Equal(model, ok.GetTagItem("gen_ai.request.model"));
        Assert.Equal("scripted", ok.GetTagItem("gen_ai.provider.name"));
        Assert.Equal(true, ok.GetTagItem("gen_ai.request.stream"));
        Assert.IsType<double>(ok.GetTagItem("gen_ai.response.time_to_first_chunk"));
        Assert.Equal(8, ok.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(2, ok.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal("[\"stop\"]", ok.GetTagItem("gen_ai.response.finish_reasons"));
        Assert.Null(spans[1].GetTagItem("gen_ai.request.stream"));
        Assert.Equal(ActivityStatusCode.Error, spans[1].Status);
        Assert.Equal("System.InvalidOperationException", spans[1].GetTagItem("error.type"));
    }

    [Fact]
    public async Task Kernel_RecordsModelCallsAndFunctionDurations_StreamingAndNot()
    {
        using var recorder = new MeasurementRecorder(MetricsPolicy.SourceName);
        var model = UniqueModel();
        var inner = Inner(model, ScriptedTurn.FromText("one", "two").WithUsage(5, 2));
        var kernel = TestKernels.Create(inner, f => f.UseMetrics());
        var function = KernelFunctionFactory.CreateFromPrompt("Say {{$n}}", functionName: "Say_" + model.Replace('-', '_'));

        await kernel.InvokeAsync(function, new KernelArguments { ["n"] = "1" });
        await TestKernels.ToListAsync(kernel.InvokeStreamingAsync<string>(function, new KernelArguments { ["n"] = "2" }));

        var functions = recorder.For("aiallin.sk.function.invocation.duration", "semantic_kernel.function.name", function.Name);
        Assert.Equal(["False", "True"], functions.Select(m => m.Tag("aiallin.streaming")));
        Assert.All(functions, m => Assert.True(m.Value > 0));
        Assert.Equal(2, recorder.For("gen_ai.client.operation.duration", RequestModel, model).Count);
        Assert.Single(recorder.For("gen_ai.client.operation.time_to_first_chunk", RequestModel, model));
        Assert.Equal(4, recorder.For("gen_ai.client.token.usage", RequestModel, model).Count);
    }

    [Fact]
    public async Task WithNobodyListening_CallsPassThrough_AndAListenerAttachedLaterIsServedFromTheNextCall()
    {
        var model = UniqueModel();
        var policy = new MetricsPolicy(new MetricsOptions { EnableTracing = false }, new IsolatedMeterFactory());
        using var client = new MetricsChatClient(Inner(model, ScriptedTurn.FromText("a", "b").WithUsage(2, 2)), policy);

        Assert.Equal("ab", string.Concat((await TestKernels.ToListAsync(client.GetStreamingResponseAsync("x"))).Select(u => u.Text)));
        using var recorder = new MeasurementRecorder(MetricsPolicy.SourceName);
        await TestKernels.ToListAsync(client.GetStreamingResponseAsync("x"));

        Assert.Single(recorder.For("gen_ai.client.operation.duration", RequestModel, model));
        Assert.Single(recorder.For("gen_ai.client.operation.time_to_first_chunk", RequestModel, model));
    }

    [Fact]
    public async Task Kernel_AutomaticToolCall_IsMeasuredAsExecuteTool()
    {
        using var recorder = new MeasurementRecorder(MetricsPolicy.SourceName);
        var inner = Inner(UniqueModel());
        var tool = "Lookup_" + Guid.NewGuid().ToString("N")[..8];
        var plugin = KernelPluginFactory.CreateFromFunctions("Data", [KernelFunctionFactory.CreateFromMethod((string city) => "42", tool)]);
        var kernel = TestKernels.Create(new ScriptedChatClient(TestPlugins.CallFirstToolThenAnswer()), f => f.UseMetrics(), plugins: plugin);

        var result = await kernel.InvokePromptAsync("look it up", new KernelArguments(TestKernels.AutoInvokeSettings()));

        Assert.Equal("It is sunny.", result.ToString());
        var call = Assert.Single(recorder.For("gen_ai.client.operation.duration", "gen_ai.tool.name", tool));
        Assert.Equal("execute_tool", call.Tag("gen_ai.operation.name"));
        Assert.Null(call.Tag("error.type"));
        Assert.Equal(0, inner.CallCount);
    }

    private sealed class IsolatedMeterFactory : System.Diagnostics.Metrics.IMeterFactory
    {
        public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options.Name, options.Version, options.Tags, this);

        public void Dispose()
        {
        }
    }
}
