namespace AiAllin.SK.Testing.Providers.Recorded;

/// <summary>One recorded HTTP answer: status, headers and the body exactly as the provider sent it.</summary>
public sealed record RecordedReply(int Status, string Body, string ContentType = "application/json")
{
    /// <summary>Extra response headers (rate-limit headers, request ids...).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>When positive, the body is written and flushed in pieces of this many bytes (cutting lines and UTF-8 sequences).</summary>
    public int ChunkSize { get; init; }

    public static RecordedReply Sse(string body, int chunkSize = 0) => new(200, body, "text/event-stream; charset=utf-8") { ChunkSize = chunkSize };

    public static RecordedReply Json(string body) => new(200, body);

    public static RecordedReply Ndjson(string body, int chunkSize = 0) => new(200, body, "application/x-ndjson") { ChunkSize = chunkSize };
}
