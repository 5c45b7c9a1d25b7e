using System.Text.Json;
using Microsoft.Extensions.AI;
using Xunit;

namespace AiAllin.SK.Testing.Providers.Recorded;

/// <summary>Reads a replayed conversation back through <see cref="IChatClient"/>.</summary>
public static class ReplayAssertions
{
    public static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    public static async Task<(List<ChatResponseUpdate> Updates, ChatResponse Merged)> StreamAsync(IChatClient client, ChatOptions? options = null)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("What is the weather in Paris?", options, Guard()))
        {
            updates.Add(update);
        }

        return (updates, updates.ToChatResponse());
    }

    public static List<FunctionCallContent> Calls(IEnumerable<ChatResponseUpdate> updates) =>
        [.. updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>()];

    public static List<FunctionCallContent> Calls(ChatResponse response) =>
        [.. response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>()];

    public static string Reasoning(IEnumerable<ChatResponseUpdate> updates) =>
        string.Concat(updates.SelectMany(u => u.Contents).OfType<TextReasoningContent>().Select(r => r.Text));

    public static string Argument(FunctionCallContent call, string name)
    {
        Assert.Null(call.Exception);
        Assert.NotNull(call.Arguments);
        return call.Arguments[name] switch
        {
            JsonElement element => element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText(),
            var other => Convert.ToString(other, System.Globalization.CultureInfo.InvariantCulture)!,
        };
    }
}
