using System.Text.Json.Nodes;
using AiAllin.SK.Testing.Logging;
using AiAllin.SK.Testing.Providers;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Cohere.Tests;

public sealed class CohereChatClientTests : IAsyncLifetime
{
    private const string Key = "co-test-9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c";
    private readonly CollectingLoggerProvider _logs = new();
    private CohereWireServer _server = null!;

    public async Task InitializeAsync() => _server = await WireServer.StartAsync<CohereWireServer>();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Assert.DoesNotContain(Key, _logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponse_WithDocuments_SendsThemAndReturnsCitationsAsAnnotationsOnTheText()
    {
        _server.Enqueue(ScriptedReply.WithText("Employees get gym memberships.") with { Extras = new Dictionary<string, object?> { ["citations"] = GymCitation() } });
        using var client = Client();
        var options = new ChatOptions
        {
            AdditionalProperties = new() { [CohereChatClient.DocumentsKey] = new[] { CohereDocument.Create("doc:benefits", "Benefits", "We offer gym memberships and on-site yoga."), new CohereDocument { Data = { ["snippet"] = "Remote work on Fridays." } } } },
        };

        var response = await client.GetResponseAsync("What are the perks?", options);

        var documents = _server.Requests.Single().Body!["documents"]!.AsArray();
        Assert.Equal("doc:benefits", documents[0]!["id"]!.GetValue<string>());
        Assert.Equal("Benefits", documents[0]!["data"]!["title"]!.GetValue<string>());
        Assert.Null(documents[1]!["id"]);
        var text = Assert.Single(response.Messages.Single().Contents.OfType<TextContent>());
        var citation = Assert.IsType<CitationAnnotation>(Assert.Single(text.Annotations!));
        Assert.Equal("doc:benefits", citation.FileId);
        Assert.Equal("Benefits", citation.Title);
        Assert.Equal("We offer gym memberships and on-site yoga.", citation.Snippet);
        var region = Assert.IsType<TextSpanAnnotatedRegion>(Assert.Single(citation.AnnotatedRegions!));
        Assert.Equal("gym memberships", text.Text[region.StartIndex!.Value..region.EndIndex!.Value]);
    }

    [Fact]
    public async Task Streaming_WithDocuments_DeliversCitationsAsAnnotationsThatSurviveMerging()
    {
        _server.Enqueue(ScriptedReply.WithText("Employees get ", "gym memberships", ".") with { Extras = new Dictionary<string, object?> { ["citations"] = GymCitation() } });
        using var client = Client();
        var options = new ChatOptions { AdditionalProperties = new() { [CohereChatClient.DocumentsKey] = new[] { "We offer gym memberships and on-site yoga." } } };

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("What are the perks?", options))
        {
            updates.Add(update);
        }

        Assert.Equal("We offer gym memberships and on-site yoga.", _server.Requests.Single().Body!["documents"]![0]!.GetValue<string>());
        var merged = updates.ToChatResponse();
        Assert.Equal("Employees get gym memberships.", merged.Text);
        var citation = Assert.Single(merged.Messages.SelectMany(m => m.Contents).SelectMany(c => c.Annotations ?? []).OfType<CitationAnnotation>());
        var region = Assert.IsType<TextSpanAnnotatedRegion>(Assert.Single(citation.AnnotatedRegions!));
        Assert.Equal("gym memberships", merged.Text[region.StartIndex!.Value..region.EndIndex!.Value]);
    }

    [Fact]
    public async Task GetResponse_WithDocumentsOfAnUnknownShape_ThrowsNamingTheKeyAndSendsNothing()
    {
        using var client = Client();
        var options = new ChatOptions { AdditionalProperties = new() { [CohereChatClient.DocumentsKey] = 42 } };

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync("hi", options));

        Assert.Contains("documents", exception.Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Streaming_ToolPlan_ArrivesAsReasoningAndGoesBackAsToolPlanBesideTheCalls()
    {
        _server.Enqueue(
            ScriptedReply.WithToolCalls(new ScriptedToolCall("get_weather_p1t92w7gfgq7", "get_weather", "{\"location\":", " \"Madrid\"}"), new ScriptedToolCall("get_weather_ay6nmvjgp9vn", "get_weather", "{\"location\": \"Brasilia\"}")) with { ReasoningChunks = ["I will search ", "for the weather."] },
            ScriptedReply.WithText("Sunny in both."));
        var cities = new List<string>();
        using var client = new ChatClientBuilder(Client()).UseFunctionInvocation().Build();
        var tool = AIFunctionFactory.Create((string location) => { cities.Add(location); return "24C"; }, "get_weather");
        var updates = new List<ChatResponseUpdate>();

        await foreach (var update in client.GetStreamingResponseAsync("Weather in Madrid and Brasilia?", new ChatOptions { Tools = [tool] }))
        {
            updates.Add(update);
        }

        Assert.Equal("I will search for the weather.", string.Concat(updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().Select(r => r.Text)));
        Assert.Equal("Sunny in both.", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(["Madrid", "Brasilia"], cities);
        var assistant = _server.Requests[1].Body!["messages"]!.AsArray().OfType<JsonObject>().Single(m => m["role"]!.GetValue<string>() == "assistant");
        Assert.Equal("I will search for the weather.", assistant["tool_plan"]!.GetValue<string>());
        Assert.Equal(2, assistant["tool_calls"]!.AsArray().Count);
        var results = _server.Requests[1].Body!["messages"]!.AsArray().OfType<JsonObject>().Where(m => m["role"]!.GetValue<string>() == "tool").ToList();
        Assert.Equal(["get_weather_p1t92w7gfgq7", "get_weather_ay6nmvjgp9vn"], results.Select(r => r["tool_call_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task GetResponse_SendsCohereSamplingJsonFormatToolChoiceAndModes()
    {
        _server.Enqueue(ScriptedReply.WithText("{}"));
        using var client = Client(o => { o.CitationMode = CohereCitationMode.Accurate; o.SafetyMode = CohereSafetyMode.Strict; });
        var options = new ChatOptions
        {
            TopP = 0.75f,
            TopK = 40,
            Seed = 7,
            StopSequences = ["END"],
            FrequencyPenalty = 0.5f,
            ResponseFormat = ChatResponseFormat.Json,
            ToolMode = ChatToolMode.RequireAny,
            Tools = [AIFunctionFactory.Create(() => "x", "noop")],
            AdditionalProperties = new() { ["strict_tools"] = true },
        };

        await client.GetResponseAsync("Give JSON", options);

        var body = _server.Requests.Single().Body!;
        Assert.Equal(0.75, body["p"]!.GetValue<double>(), 3);
        Assert.Equal(40, body["k"]!.GetValue<int>());
        Assert.Equal(7, body["seed"]!.GetValue<int>());
        Assert.Equal("END", body["stop_sequences"]![0]!.GetValue<string>());
        Assert.Equal(0.5, body["frequency_penalty"]!.GetValue<double>(), 3);
        Assert.Equal("json_object", body["response_format"]!["type"]!.GetValue<string>());
        Assert.Equal("REQUIRED", body["tool_choice"]!.GetValue<string>());
        Assert.Equal("ACCURATE", body["citation_options"]!["mode"]!.GetValue<string>());
        Assert.Equal("STRICT", body["safety_mode"]!.GetValue<string>());
        Assert.True(body["strict_tools"]!.GetValue<bool>());
        Assert.Equal("Bearer " + Key, _server.Requests.Single().Header("authorization"));
    }

    [Fact]
    public async Task GetResponse_ReportsBilledUnitsBesideTheTokenCounts()
    {
        _server.Enqueue(ScriptedReply.WithText("ok") with { Usage = new ScriptedUsage(30, 4) });
        using var client = Client();

        var response = await client.GetResponseAsync("hi");

        Assert.Equal(30, response.Usage!.InputTokenCount);
        Assert.Equal(4, response.Usage.OutputTokenCount);
        Assert.Equal(30, response.Usage.AdditionalCounts!["billed_units.input_tokens"]);
    }

    [Fact]
    public async Task GetResponse_WithAnImage_SendsTextAndAnImageUrlPart()
    {
        _server.Enqueue(ScriptedReply.WithText("A red pixel."));
        using var client = Client();
        var image = new DataContent(Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="), "image/png");

        await client.GetResponseAsync([new ChatMessage(ChatRole.User, [new TextContent("What is this?"), image])]);

        var parts = _server.Requests.Single().Body!["messages"]![0]!["content"]!.AsArray();
        Assert.Equal("What is this?", parts[0]!["text"]!.GetValue<string>());
        Assert.Equal("image_url", parts[1]!["type"]!.GetValue<string>());
        Assert.StartsWith("data:image/png;base64,iVBOR", parts[1]!["image_url"]!["url"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void GetService_ReturnsMetadataWithTheProviderAndModel()
    {
        using var client = Client();

        var metadata = client.GetService<ChatClientMetadata>();

        Assert.Equal("cohere", metadata?.ProviderName);
        Assert.Equal("command-a-03-2025", metadata?.DefaultModelId);
    }

    private static JsonArray GymCitation() =>
    [
        new JsonObject
        {
            ["start"] = 14,
            ["end"] = 29,
            ["text"] = "gym memberships",
            ["type"] = "TEXT_CONTENT",
            ["sources"] = new JsonArray(new JsonObject
            {
                ["type"] = "document",
                ["id"] = "doc:benefits",
                ["document"] = new JsonObject { ["id"] = "doc:benefits", ["title"] = "Benefits", ["snippet"] = "We offer gym memberships and on-site yoga." },
            }),
        },
    ];

    private CohereChatClient Client(Action<CohereOptions>? configure = null)
    {
        var options = new CohereOptions { Endpoint = _server.BaseAddress, ApiKey = Key, Model = "command-a-03-2025" };
        configure?.Invoke(options);
        return new CohereChatClient(options, _logs.CreateFactory());
    }
}
