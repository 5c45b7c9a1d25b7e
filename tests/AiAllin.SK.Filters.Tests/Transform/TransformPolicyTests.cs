using AiAllin.SK.Filters.Tests.TestSupport;
using AiAllin.SK.Filters.Transform;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;

namespace AiAllin.SK.Filters.Tests.Transform;

public sealed class TransformPolicyTests
{
    [Fact]
    public async Task Request_GetsSystemPromptInjectedAndOldMessagesTrimmed_CallerListUntouched()
    {
        var inner = new ScriptedChatClient();
        using var client = new ChatClientBuilder(inner).UseAiAllinTransform(o =>
        {
            o.SystemPrompt = "You are terse.";
            o.MaxMessages = 2;
        }).Build();
        List<ChatMessage> history =
        [
            new(ChatRole.System, "Original system"),
            new(ChatRole.User, "q1"),
            new(ChatRole.Assistant, "a1"),
            new(ChatRole.User, "q2"),
            new(ChatRole.Assistant, "a2"),
            new(ChatRole.User, "q3"),
        ];

        await client.GetResponseAsync(history);
        await TestKernels.ToListAsync(client.GetStreamingResponseAsync(history));

        Assert.All(inner.Calls, c => Assert.Equal(["You are terse.", "Original system", "a2", "q3"], c.Messages.Select(m => m.Text)));
        Assert.Equal(ChatRole.System, inner.Calls[0].Messages[0].Role);
        Assert.Equal(6, history.Count);
    }

    [Fact]
    public async Task Trimming_NeverSendsAToolResultWithoutItsCall()
    {
        var inner = new ScriptedChatClient();
        using var client = new ChatClientBuilder(inner).UseAiAllinTransform(o => o.MaxMessages = 3).Build();
        List<ChatMessage> history =
        [
            new(ChatRole.User, "weather?"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "weather")]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "sunny")]),
            new(ChatRole.Assistant, "sunny"),
            new(ChatRole.User, "thanks"),
        ];

        await client.GetResponseAsync(history);

        Assert.Equal([ChatRole.Assistant, ChatRole.User], inner.Calls[0].Messages.Select(m => m.Role));
    }

    [Fact]
    public async Task NonStreamingResponse_IsPiiMaskedThenRewritten()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("Write to bob@corp.example.org or 4111 1111 1111 1111."));
        using var client = new ChatClientBuilder(inner).UseAiAllinTransform(o =>
        {
            o.PiiPatterns.Add(PiiPatterns.Email);
            o.PiiPatterns.Add(PiiPatterns.CardNumber);
            o.RewriteOutput = t => t.ToUpperInvariant();
        }).Build();

        var response = await client.GetResponseAsync("contact?");

        Assert.Equal("WRITE TO [REDACTED] OR [REDACTED].", response.Text);
    }

    [Fact]
    public async Task Streaming_EmailSplitOverChunks_IsMasked_HoldingBackOnlyTheUnfinishedWord()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("Contact jo", "hn.doe@exa", "mple.com today", " please").WithUsage(4, 9));
        using var client = new ChatClientBuilder(inner).UseAiAllinTransform(o => o.PiiPatterns.Add(PiiPatterns.Email)).Build();

        var updates = await TestKernels.ToListAsync(client.GetStreamingResponseAsync("who?"));
        var texts = updates.Select(u => u.Text).ToList();

        Assert.Equal("Contact [redacted] today please", string.Concat(texts));
        Assert.Equal("Contact ", texts[0]);
        Assert.Equal(string.Empty, texts[1]);
        Assert.Equal("[redacted] ", texts[2]);
        Assert.DoesNotContain(texts, t => t.Contains("john", StringComparison.Ordinal) || t.Contains("example", StringComparison.Ordinal));
        Assert.Equal(9, updates.Select(u => u.Contents.OfType<UsageContent>().FirstOrDefault()).Last(u => u is not null)!.Details.OutputTokenCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    public async Task Streaming_AnyChunkingOfTheText_GivesTheSameMaskedTextAsTheWholeResponse(int chunkSize)
    {
        const string text = "Mail a.b@c.io, then x_y+z@mail.example.com; card 4111-1111-1111-1111 ends. Bye a@b.cd";
        var chunks = Enumerable.Range(0, (text.Length + chunkSize - 1) / chunkSize).Select(i => text.Substring(i * chunkSize, Math.Min(chunkSize, text.Length - (i * chunkSize)))).ToArray();
        void Configure(TransformOptions o)
        {
            o.PiiPatterns.Add(PiiPatterns.Email);
            o.PiiPatterns.Add(PiiPatterns.CardNumber);
            o.PiiMaySpanWhiteSpace = true;
            o.MaxPiiLength = 40;
        }

        using var streaming = new ChatClientBuilder(new ScriptedChatClient(ScriptedTurn.FromText(chunks))).UseAiAllinTransform(Configure).Build();
        using var whole = new ChatClientBuilder(new ScriptedChatClient(ScriptedTurn.FromText(text))).UseAiAllinTransform(Configure).Build();

        var streamed = string.Concat((await TestKernels.ToListAsync(streaming.GetStreamingResponseAsync("x"))).Select(u => u.Text));

        Assert.Equal((await whole.GetResponseAsync("x")).Text, streamed);
        Assert.Equal("Mail [redacted], then [redacted]; card [redacted] ends. Bye [redacted]", streamed);
    }

    [Fact]
    public async Task PiiInRequests_IsMaskedBeforeSending_WhenEnabled()
    {
        var inner = new ScriptedChatClient();
        using var client = new ChatClientBuilder(inner).UseAiAllinTransform(o =>
        {
            o.PiiPatterns.Add(PiiPatterns.Email);
            o.MaskPiiInRequests = true;
        }).Build();
        var message = new ChatMessage(ChatRole.User, "I am ann@home.example.net");

        await client.GetResponseAsync([message]);

        Assert.Equal("I am [redacted]", inner.Calls[0].LastUserText);
        Assert.Equal("I am ann@home.example.net", message.Text);
    }

    [Fact]
    public async Task Kernel_RenderedPromptIsRewritten_AndStreamedOutputMasked()
    {
        var inner = new ScriptedChatClient(ScriptedTurn.FromText("reach me at ", "sam@", "example.com", " ok"));
        var kernel = TestKernels.Create(inner, f => f.UseTransform(o =>
        {
            o.RewriteRenderedPrompt = p => p + "\nAnswer in one line.";
            o.PiiPatterns.Add(PiiPatterns.Email);
        }));

        var chunks = await TestKernels.ToListAsync(kernel.InvokePromptStreamingAsync<string>("Contact of {{$who}}?", new KernelArguments { ["who"] = "Sam" }));
        var whole = await kernel.InvokePromptAsync("Contact of {{$who}}?", new KernelArguments { ["who"] = "Sam" });

        Assert.Equal("reach me at [redacted] ok", string.Concat(chunks));
        Assert.Equal("reach me at [redacted] ok", whole.ToString());
        Assert.Equal("Contact of Sam?\nAnswer in one line.", inner.Calls[0].LastUserText);
    }

    [Fact]
    public void Options_WithNonPositiveMaxMessages_AreRejectedNamingTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => new ChatClientBuilder(new ScriptedChatClient()).UseAiAllinTransform(o => o.MaxMessages = 0));
        Assert.Contains("MaxMessages", error.Message);
    }
}
