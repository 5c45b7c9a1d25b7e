using System.Text.Json;
using AiAllin.SK.Filters.Caching;
using Microsoft.Extensions.AI;
using static AiAllin.SK.Filters.Tests.Caching.CacheTestHost;

namespace AiAllin.SK.Filters.Tests.Caching;

public sealed class CacheKeyTests
{
    private static readonly CachePolicy Policy = CacheTestHost.Policy(InMemory());

    private static ChatOptions FullOptions() => new()
    {
        ModelId = "gpt-x",
        Temperature = 0.2f,
        MaxOutputTokens = 100,
        TopP = 0.9f,
        Seed = 42,
        StopSequences = ["END", "STOP"],
        ResponseFormat = ChatResponseFormat.Json,
        Tools = [AIFunctionFactory.Create((string city) => city, "get_weather"), AIFunctionFactory.Create((int n) => n, "count")],
        AdditionalProperties = new() { ["a"] = 1, ["b"] = "two" },
    };

    private static string Key(IEnumerable<ChatMessage> messages, ChatOptions? options = null) => Policy.ComputeKey(messages, options, "default-model");

    [Fact]
    public void Key_IsVersionedHashWithoutPromptText()
    {
        var key = Key(Ask("what is my password hunter2?"));

        Assert.Matches("^aiallin:chat:v1:[0-9a-f]{64}$", key);
        Assert.DoesNotContain("hunter2", key);
    }

    [Fact]
    public void Key_IgnoresIdsTimestampsAndRawRepresentations()
    {
        var plain = Ask("q");
        var decorated = Ask("q");
        decorated[1].MessageId = "m-1";
        decorated[1].CreatedAt = DateTimeOffset.UtcNow;
        decorated[1].RawRepresentation = new object();
        decorated[1].AdditionalProperties = new() { ["trace"] = "x" };

        Assert.Equal(Key(plain), Key(decorated));
    }

    [Fact]
    public void Key_IgnoresOrderOfPropertiesToolsAndStopSequences()
    {
        var a = FullOptions();
        var b = FullOptions();
        b.Tools = [.. b.Tools!.Reverse()];
        b.StopSequences = ["STOP", "END"];
        b.AdditionalProperties = new() { ["b"] = "two", ["a"] = 1 };

        Assert.Equal(Key(Ask("q"), a), Key(Ask("q"), b));
    }

    [Fact]
    public void Key_IgnoresSchemaPropertyOrderAndTheCachesOwnProperties()
    {
        var schema1 = JsonDocument.Parse("""{"type":"object","properties":{"x":{"type":"string"},"y":{"type":"number"}}}""").RootElement;
        var schema2 = JsonDocument.Parse("""{"properties":{"y":{"type":"number"},"x":{"type":"string"}},"type":"object"}""").RootElement;
        var a = new ChatOptions { ResponseFormat = ChatResponseFormat.ForJsonSchema(schema1, "s") };
        var b = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema2, "s"),
            AdditionalProperties = new() { [CacheOptions.TagsProperty] = "t", [CacheOptions.StatusProperty] = "x" },
        };

        Assert.Equal(Key(Ask("q"), a), Key(Ask("q"), b));
    }

    [Fact]
    public void Key_NullAndEmptyOptionsAreTheSame_AndDefaultModelCounts()
    {
        Assert.Equal(Key(Ask("q")), Key(Ask("q"), new ChatOptions()));
        Assert.Equal(Key(Ask("q"), new ChatOptions { ModelId = "default-model" }), Key(Ask("q")));
        Assert.NotEqual(Policy.ComputeKey(Ask("q"), null, "model-a"), Policy.ComputeKey(Ask("q"), null, "model-b"));
    }

    public static TheoryData<string> RelevantChanges() =>
    [
        "model", "temperature", "maxTokens", "topP", "seed", "stop", "responseFormat", "toolName", "toolSchema", "additional",
        "instructions", "toolMode", "partition", "role", "text", "functionCallArgs", "functionResult", "extraMessage",
    ];

    [Theory]
    [MemberData(nameof(RelevantChanges))]
    public void Key_ChangesWithEveryRelevantSetting(string change)
    {
        var baseMessages = new List<ChatMessage>
        {
            new(ChatRole.User, "q"),
            new(ChatRole.Assistant, [new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Oslo" })]),
            new(ChatRole.Tool, [new FunctionResultContent("c1", "sunny")]),
        };
        var messages = baseMessages.Select(m => m.Clone()).ToList();
        var options = FullOptions();
        switch (change)
        {
            case "model": options.ModelId = "gpt-y"; break;
            case "temperature": options.Temperature = 0.3f; break;
            case "maxTokens": options.MaxOutputTokens = 101; break;
            case "topP": options.TopP = 0.8f; break;
            case "seed": options.Seed = 43; break;
            case "stop": options.StopSequences = ["END"]; break;
            case "responseFormat": options.ResponseFormat = ChatResponseFormat.Text; break;
            case "toolName": options.Tools = [AIFunctionFactory.Create((string city) => city, "get_weather2"), options.Tools![1]]; break;
            case "toolSchema": options.Tools = [AIFunctionFactory.Create((string town) => town, "get_weather"), options.Tools![1]]; break;
            case "additional": options.AdditionalProperties!["a"] = 2; break;
            case "instructions": options.Instructions = "be brief"; break;
            case "toolMode": options.ToolMode = ChatToolMode.RequireAny; break;
            case "partition": options.AdditionalProperties![CacheOptions.PartitionProperty] = "tenant-1"; break;
            case "role": messages[0].Role = ChatRole.System; break;
            case "text": messages[0] = new ChatMessage(ChatRole.User, "q!"); break;
            case "functionCallArgs": messages[1] = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "get_weather", new Dictionary<string, object?> { ["city"] = "Rome" })]); break;
            case "functionResult": messages[2] = new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "rainy")]); break;
            case "extraMessage": messages.Add(new ChatMessage(ChatRole.User, "and?")); break;
        }

        Assert.NotEqual(Key(baseMessages, FullOptions()), Key(messages, options));
    }
}
