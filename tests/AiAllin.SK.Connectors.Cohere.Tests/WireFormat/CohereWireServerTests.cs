using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using AiAllin.SK.Testing.Providers;

namespace AiAllin.SK.Connectors.Cohere.Tests.WireFormat;

// The wire server itself against the documented format, so the conformance suite tests clients against Cohere's
// shapes and not against the server's own inventions.
public sealed class CohereWireServerTests : IAsyncLifetime
{
    private CohereWireServer _server = null!;

    public async Task InitializeAsync() => _server = await WireServer.StartAsync<CohereWireServer>();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Stream_SendsTheDocumentedEventsInTheDocumentedOrder_EachNamedByItsType()
    {
        _server.Enqueue(ScriptedReply.WithToolCalls(new ScriptedToolCall("get_weather_1", "get_weather", "{\"location\":", " \"Madrid\"}")) with { ReasoningChunks = ["I will ", "check."] });
        using var http = Http();

        var body = await (await http.PostAsync("v2/chat", Json("""{"model":"command-a-03-2025","stream":true,"messages":[{"role":"user","content":"hi"}]}"""))).Content.ReadAsStringAsync();

        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(block =>
        {
            var lines = block.Split('\n');
            return (Name: lines[0]["event: ".Length..], Data: JsonNode.Parse(lines[1]["data: ".Length..])!);
        }).ToList();
        Assert.Equal(
            ["message-start", "tool-plan-delta", "tool-plan-delta", "tool-call-start", "tool-call-delta", "tool-call-delta", "tool-call-end", "message-end"],
            events.Select(e => e.Name));
        Assert.All(events, e => Assert.Equal(e.Name, e.Data["type"]!.GetValue<string>()));
        Assert.Equal("get_weather_1", events[3].Data["delta"]!["message"]!["tool_calls"]!["id"]!.GetValue<string>());
        Assert.Equal("TOOL_CALL", events[^1].Data["delta"]!["finish_reason"]!.GetValue<string>());
        Assert.NotNull(events[^1].Data["delta"]!["usage"]!["billed_units"]);
    }

    [Fact]
    public async Task Requests_WithoutABearerToken_Get401WithCoheresErrorBody()
    {
        _server.Enqueue(new ScriptedReply());
        using var http = new HttpClient { BaseAddress = _server.BaseAddress };

        using var response = await http.PostAsync("v2/embed", Json("{}"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["id", "message"], error.Select(p => p.Key));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private HttpClient Http()
    {
        var http = new HttpClient { BaseAddress = _server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "co-wire-key");
        return http;
    }
}
