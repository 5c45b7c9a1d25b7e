using System.Text.Json;

namespace AiAllin.SK.Connectors.Core.Tests;

public sealed class SseStreamReaderTests
{
    private static IAsyncEnumerable<TextChunk> Read(Stream stream, CancellationToken cancellationToken = default)
        => SseStreamReader.ReadAsync(stream, "OpenAI", TestJsonContext.Default.TextChunk, cancellationToken);

    [Fact]
    public async Task Read_Events_YieldsPayloadsInOrderAndLeavesStreamOpen()
    {
        using var stream = TrackingStream.FromText("data: {\"text\":\"Hel\",\"index\":0}\n\ndata: {\"text\":\"lo\",\"index\":1}\n\n");

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Null(error);
        Assert.Equal(["Hel", "lo"], items.Select(i => i.Text));
        Assert.False(stream.IsDisposed);
    }

    [Fact]
    public async Task Read_CommentsPingsAndCrLf_AreSkipped()
    {
        var text = ": keep-alive\r\n\r\nevent: ping\r\ndata: {\"type\": \"ping\"}\r\n\r\ndata: {\"text\":\"a\"}\r\n\r\n: another comment\r\n\r\ndata: {\"text\":\"b\"}\r\n\r\n";
        using var stream = TrackingStream.FromText(text);

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Null(error);
        Assert.Equal(["a", "b"], items.Select(i => i.Text));
    }

    [Fact]
    public async Task Read_DoneSentinel_EndsTheSequenceWithoutReadingFurther()
    {
        using var stream = TrackingStream.FromText("data: {\"text\":\"a\"}\n\ndata: [DONE]\n\ndata: this is not json\n\n");

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Null(error);
        Assert.Equal(["a"], items.Select(i => i.Text));
    }

    [Fact]
    public async Task Read_MultiLineData_IsJoinedIntoOnePayload()
    {
        using var stream = TrackingStream.FromText("data: {\"text\":\ndata: \"joined\",\ndata: \"index\": 7}\n\n");

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Null(error);
        var item = Assert.Single(items);
        Assert.Equal("joined", item.Text);
        Assert.Equal(7, item.Index);
    }

    [Fact]
    public async Task Read_OneByteAtATime_GivesTheSameResult()
    {
        using var stream = TrackingStream.FromText("event: delta\ndata: {\"text\":\"x\"}\n\ndata: {\"text\":\"y\"}\n\ndata: [DONE]\n\n", maxBytesPerRead: 1);

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Null(error);
        Assert.Equal(["x", "y"], items.Select(i => i.Text));
    }

    [Fact]
    public async Task ReadItems_ExposesEventTypeAndId()
    {
        var text = "event: message_start\nid: 1\ndata: {\"text\":\"s\"}\n\nevent: content_block_delta\ndata: {\"text\":\"d\"}\n\ndata: {\"text\":\"plain\"}\n\n";
        using var stream = TrackingStream.FromText(text);

        var (items, error) = await StreamTestHelpers.CollectAsync(SseStreamReader.ReadItemsAsync(stream, "Anthropic", TestJsonContext.Default.TextChunk));

        Assert.Null(error);
        Assert.Equal(["message_start", "content_block_delta", "message"], items.Select(i => i.EventType));
        Assert.Equal("1", items[0].EventId);
        Assert.Equal("d", items[1].Data.Text);
    }

    [Fact]
    public async Task Read_ErrorEvent_ThrowsProviderExceptionAfterEarlierItems()
    {
        var text = "event: content_block_delta\ndata: {\"text\":\"partial\"}\n\nevent: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n";
        using var stream = TrackingStream.FromText(text);

        var (items, error) = await StreamTestHelpers.CollectAsync(SseStreamReader.ReadAsync(stream, "Anthropic", TestJsonContext.Default.TextChunk));

        Assert.Equal(["partial"], items.Select(i => i.Text));
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("Anthropic", ex.Provider);
        Assert.Equal("overloaded_error", ex.ErrorCode);
        Assert.Equal("Overloaded", ex.ProviderMessage);
        Assert.Null(ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.StartsWith("Anthropic reported an error mid-stream (overloaded_error): Overloaded", ex.Message);
    }

    [Fact]
    public async Task Read_ErrorObjectAsData_ThrowsProviderExceptionInsteadOfAnEmptyChunk()
    {
        var text = "data: {\"text\":\"a\"}\n\ndata: {\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\"}}\n\n";
        using var stream = TrackingStream.FromText(text);

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Single(items);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("server_error", ex.ErrorCode);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task Read_GarbageEventAfterGoodItems_ThrowsStreamExceptionNamingEventAndContent()
    {
        var text = ": hi\n\ndata: {\"text\":\"one\"}\n\ndata: {\"text\":\"two\"}\n\ndata: {\"text\": oops not json}\n\ndata: {\"text\":\"never\"}\n\n";
        using var stream = TrackingStream.FromText(text);

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Equal(["one", "two"], items.Select(i => i.Text));
        var ex = Assert.IsType<ProviderStreamException>(error);
        Assert.Equal("OpenAI", ex.Provider);
        Assert.Equal(3, ex.ChunkNumber);
        Assert.Equal("{\"text\": oops not json}", ex.Chunk);
        Assert.IsType<JsonException>(ex.InnerException, exactMatch: false);
        Assert.Contains("OpenAI sent a malformed stream chunk at event 3", ex.Message);
        Assert.Contains("oops not json", ex.Message);
        Assert.False(stream.IsDisposed);
    }

    [Fact]
    public async Task Read_TruncatedJson_ThrowsStreamException()
    {
        using var stream = TrackingStream.FromText("data: {\"text\":\"ok\"}\n\ndata: {\"text\":\"cut of\n\n");

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Single(items);
        var ex = Assert.IsType<ProviderStreamException>(error);
        Assert.Equal(2, ex.ChunkNumber);
    }

    [Fact]
    public async Task Read_MalformedChunkHoldingAKey_NeverShowsTheKey()
    {
        using var stream = TrackingStream.FromText($"data: {{\"text\": {TestKeys.Anthropic}}}\n\n");

        var (_, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        var ex = Assert.IsType<ProviderStreamException>(error);
        Assert.DoesNotContain(TestKeys.Anthropic, ex.Message);
        Assert.DoesNotContain(TestKeys.Anthropic, ex.Chunk);
        Assert.DoesNotContain(TestKeys.Anthropic, ex.ToString());
    }

    [Fact]
    public async Task Read_LongMalformedChunk_IsShownTruncated()
    {
        using var stream = TrackingStream.FromText("data: [" + new string('1', 5000) + "\n\n");

        var (_, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        var ex = Assert.IsType<ProviderStreamException>(error);
        Assert.True(ex.Chunk.Length <= 201);
    }

    [Fact]
    public async Task Read_CancelledMidStream_StopsWithOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await using var stream = StreamTestHelpers.OpenEndedStream("data: {\"text\":\"first\"}\n\n");
        var received = new List<string?>();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in Read(stream, cts.Token))
            {
                received.Add(item.Text);
                await cts.CancelAsync();
            }
        });

        Assert.Equal(["first"], received);
        Assert.Equal(cts.Token, ex.CancellationToken);
    }

    [Fact]
    public async Task Read_CancelledWhileWaitingForData_StopsWithOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await using var stream = StreamTestHelpers.OpenEndedStream("data: {\"text\":\"first\"}\n\n");
        var enumerator = Read(stream).GetAsyncEnumerator(cts.Token);

        Assert.True(await enumerator.MoveNextAsync());
        var pending = enumerator.MoveNextAsync().AsTask();
        Assert.False(pending.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        await enumerator.DisposeAsync();
    }

    [Fact]
    public void Read_InvalidArguments_ThrowImmediately()
    {
        using var stream = TrackingStream.FromText(string.Empty);

        Assert.Throws<ArgumentNullException>(() => SseStreamReader.ReadAsync(null!, "OpenAI", TestJsonContext.Default.TextChunk));
        Assert.Throws<ArgumentException>(() => SseStreamReader.ReadAsync(stream, " ", TestJsonContext.Default.TextChunk));
        Assert.Throws<ArgumentNullException>(() => SseStreamReader.ReadAsync<TextChunk>(stream, "OpenAI", null!));
    }
}
