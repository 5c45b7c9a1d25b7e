using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiAllin.SK.Connectors.Anthropic;

/// <summary>
/// Completes <c>usage.server_tool_use</c> objects before the SDK reads them: Anthropic SDK 13.14 requires both
/// <c>web_search_requests</c> and <c>web_fetch_requests</c>, and its chat adapter reads them eagerly, so a response
/// that reports only web searches (the API before web fetch existed, its own documentation examples, proxies) would
/// fail the whole answer after its text. A missing count is filled with 0. Shown on recorded traffic by
/// <c>AnthropicRecordedServerToolUsageTests.ServerToolUsageWithoutWebFetchCount_StillYieldsTextAndUsage</c>.
/// </summary>
internal static class AnthropicUsagePatch
{
    private static readonly string[] RequiredCounts = ["web_search_requests", "web_fetch_requests"];

    /// <summary>Returns the patched JSON when <paramref name="json"/> has an incomplete <c>server_tool_use</c>; otherwise <see langword="null"/>.</summary>
    public static byte[]? TryPatch(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\"server_tool_use\""u8) < 0)
        {
            return null;
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }

        return root is not null && Complete(root) ? JsonSerializer.SerializeToUtf8Bytes(root, AnthropicJsonContext.Default.JsonNode) : null;
    }

    private static bool Complete(JsonNode node)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (name == "server_tool_use" && value is JsonObject counts)
                    {
                        foreach (var count in RequiredCounts)
                        {
                            if (!counts.ContainsKey(count))
                            {
                                counts[count] = 0;
                                changed = true;
                            }
                        }
                    }
                    else if (value is not null)
                    {
                        changed |= Complete(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        changed |= Complete(item);
                    }
                }

                break;
        }

        return changed;
    }
}
