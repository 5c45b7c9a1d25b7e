using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Filters.Hooks;
using AiAllin.SK.Filters.Metrics;
using AiAllin.SK.Filters.Tests.TestSupport;
using AiAllin.SK.Filters.Timeouts;
using AiAllin.SK.Filters.Transform;
using AiAllin.SK.Filters.Validation;
using AiAllin.SK.Testing.Logging;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Tests.Composition;

/// <summary>The order written in <c>AddAiAllinFilters</c> is the order the policies run: first written = outermost.</summary>
public sealed class PolicyOrderTests
{
    private static IChatClient Build(IChatClient inner, Action<AiAllinFiltersBuilder> configure, CollectingLoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        if (logs is not null)
        {
            services.AddSingleton(logs.CreateFactory());
        }

        services.AddSingleton(inner);
        services.AddAiAllinFilters(configure);
        return services.BuildServiceProvider().GetRequiredService<IChatClient>();
    }

    [Fact]
    public async Task ValidationBeforeLogging_ARejectedRequestIsNeverLogged_LoggingBeforeValidationLogsTheRejection()
    {
        using var quietLogs = new CollectingLoggerProvider();
        using var loudLogs = new CollectingLoggerProvider();
        var inner = new ScriptedChatClient();
        var validateFirst = Build(inner, f => f.UseValidation(o => o.MaxPromptCharacters = 5).UseLogging(), quietLogs);
        var logFirst = Build(inner, f => f.UseLogging().UseValidation(o => o.MaxPromptCharacters = 5), loudLogs);

        await Assert.ThrowsAsync<ChatValidationException>(() => validateFirst.GetResponseAsync("far too long"));
        await Assert.ThrowsAsync<ChatValidationException>(() => TestKernels.ToListAsync(logFirst.GetStreamingResponseAsync("far too long")));

        Assert.DoesNotContain(quietLogs.Entries, e => e.Category == LoggingFiltersBuilderExtensions.Category);
        Assert.Contains(quietLogs.Entries, e => e.Category == ValidationFiltersBuilderExtensions.Category && e.EventId.Id == AiAllinEventIds.ValidationRejected);
        var failure = Assert.Single(loudLogs.Entries, e => e.EventId.Id == AiAllinEventIds.ChatFailed);
        Assert.Contains(typeof(ChatValidationException).FullName!, failure.State);
        Assert.Equal(0, inner.CallCount);
    }

    [Fact]
    public async Task TransformInsideLogging_LogsTheMaskedResponse_TransformOutsideLogsTheRawOne()
    {
        using var maskedLogs = new CollectingLoggerProvider();
        using var rawLogs = new CollectingLoggerProvider();
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("write to ", "kim@example.com"));
        var logOuter = Build(inner, f => f.UseLogging(o => o.LogBodies = true).UseTransform(o => o.PiiPatterns.Add(PiiPatterns.Email)), maskedLogs);
        var transformOuter = Build(inner, f => f.UseTransform(o => o.PiiPatterns.Add(PiiPatterns.Email)).UseLogging(o => o.LogBodies = true), rawLogs);

        var a = string.Concat((await TestKernels.ToListAsync(logOuter.GetStreamingResponseAsync("x"))).Select(u => u.Text));
        var b = string.Concat((await TestKernels.ToListAsync(transformOuter.GetStreamingResponseAsync("x"))).Select(u => u.Text));

        Assert.Equal("write to [redacted]", a);
        Assert.Equal(a, b);
        Assert.Contains("Body=write to [redacted]", Assert.Single(maskedLogs.Entries, e => e.EventId.Id == AiAllinEventIds.ChatResponseBody).State);
        Assert.Contains("Body=write to kim@example.com", Assert.Single(rawLogs.Entries, e => e.EventId.Id == AiAllinEventIds.ChatResponseBody).State);
    }

    [Fact]
    public async Task TransformBeforeValidation_TheInjectedSystemPromptCountsTowardsTheSizeLimit_OnlyWhenTransformIsOutside()
    {
        var inner = new ScriptedChatClient();
        var transformFirst = Build(inner, f => f.UseTransform(o => o.SystemPrompt = "A long system prompt of forty characters").UseValidation(o => o.MaxPromptCharacters = 20));
        var validateFirst = Build(inner, f => f.UseValidation(o => o.MaxPromptCharacters = 20).UseTransform(o => o.SystemPrompt = "A long system prompt of forty characters"));

        var error = await Assert.ThrowsAsync<ChatValidationException>(() => transformFirst.GetResponseAsync("short question"));
        await validateFirst.GetResponseAsync("short question");

        Assert.Equal(ValidationRule.MaxPromptSize, error.Rule);
        Assert.Equal(1, inner.CallCount);
        Assert.Equal(2, inner.Calls[0].Messages.Count);
    }

    [Fact]
    public async Task MetricsOutsideTimeout_RecordsTheTimeoutAsItsErrorType_InsideSeesOnlyTheCancellation()
    {
        using var recorder = new MeasurementRecorder(MetricsPolicy.SourceName);
        var outerModel = "order-outer-" + Guid.NewGuid().ToString("N")[..6];
        var innerModel = "order-inner-" + Guid.NewGuid().ToString("N")[..6];
        var stalled = new ScriptedChatClient(new ScriptedTurn { StallAfter = 0 });
        var metricsOuter = Build(stalled, f => f.UseMetrics().UseTimeout(TimeSpan.FromMilliseconds(100)));
        var timeoutOuter = Build(stalled, f => f.UseTimeout(TimeSpan.FromMilliseconds(100)).UseMetrics());

        await Assert.ThrowsAsync<ChatTimeoutException>(() => metricsOuter.GetResponseAsync("x", new ChatOptions { ModelId = outerModel }));
        await Assert.ThrowsAsync<ChatTimeoutException>(() => timeoutOuter.GetResponseAsync("x", new ChatOptions { ModelId = innerModel }));

        Assert.Equal(typeof(ChatTimeoutException).FullName, Assert.Single(recorder.For("gen_ai.client.operation.duration", "gen_ai.request.model", outerModel)).Tag("error.type"));
        Assert.Equal(typeof(TaskCanceledException).FullName, Assert.Single(recorder.For("gen_ai.client.operation.duration", "gen_ai.request.model", innerModel)).Tag("error.type"));
    }

    [Fact]
    public async Task HooksOutsideTransform_SeeTheCallersMessages_HooksInsideSeeTheRewrittenOnes()
    {
        var inner = new ScriptedChatClient();
        var seen = new List<string>();
        void Hooks(HookOptions o) => o.BeforeChat = (c, _) =>
        {
            seen.Add(string.Join("|", c.Messages.Select(m => m.Text)));
            return ValueTask.CompletedTask;
        };

        var hooksOuter = Build(inner, f => f.UseHooks(Hooks).UseTransform(o => o.SystemPrompt = "sys"));
        var hooksInner = Build(inner, f => f.UseTransform(o => o.SystemPrompt = "sys").UseHooks(Hooks));

        await hooksOuter.GetResponseAsync("q");
        await hooksInner.GetResponseAsync("q");

        Assert.Equal(["q", "sys|q"], seen);
    }

    [Fact]
    public async Task Kernel_FiltersRunInTheOrderWritten_BeforeHooksInOrder_AfterHooksReversed()
    {
        var inner = new ScriptedChatClient();
        var events = new List<string>();
        HookOptions Named(HookOptions o, string name)
        {
            o.BeforeFunction = _ =>
            {
                events.Add($"{name}:before-function");
                return ValueTask.CompletedTask;
            };
            o.AfterFunction = _ =>
            {
                events.Add($"{name}:after-function");
                return ValueTask.CompletedTask;
            };
            o.AfterPromptRender = _ =>
            {
                events.Add($"{name}:rendered");
                return ValueTask.CompletedTask;
            };
            o.BeforeChat = (_, _) =>
            {
                events.Add($"{name}:before-chat");
                return ValueTask.CompletedTask;
            };
            return o;
        }

        var kernel = TestKernels.Create(inner, f => f.UseHooks(o => Named(o, "first")).UseHooks(o => Named(o, "second")));

        await kernel.InvokePromptAsync("hello");

        Assert.Equal(
            [
                "first:before-function", "second:before-function",
                "second:rendered", "first:rendered",
                "first:before-chat", "second:before-chat",
                "second:after-function", "first:after-function",
            ],
            events);
    }

    [Fact]
    public async Task Kernel_ValidationBeforeMetrics_ARejectedPromptIsNeverMeasuredAsAModelCall()
    {
        using var recorder = new MeasurementRecorder(MetricsPolicy.SourceName);
        var model = "order-validate-" + Guid.NewGuid().ToString("N")[..6];
        var inner = new ScriptedChatClient { Metadata = new ChatClientMetadata("scripted", null, model) };
        var kernel = TestKernels.Create(inner, f => f.UseValidation(o => o.MaxPromptCharacters = 5).UseMetrics());

        await Assert.ThrowsAsync<ChatValidationException>(() => kernel.InvokePromptAsync("a prompt that is too long"));
        await kernel.InvokePromptAsync("ok");

        var calls = recorder.For("gen_ai.client.operation.duration", "gen_ai.request.model", model);
        Assert.Null(Assert.Single(calls).Tag("error.type"));
    }
}
