using System.Text;
using System.Text.Json;

namespace AiAllin.SK.Connectors.Core.Tests;

public sealed class NdjsonStreamReaderTests
{
    private static IAsyncEnumerable<TextChunk> Read(Stream stream, CancellationToken cancellationToken = default)
        => NdjsonStreamReader.ReadAsync(stream, "Ollama", TestJsonContext.Default.TextChunk, cancellationToken);

    [Fact]
    public async Task Read_Lines_YieldsValuesAndLeavesStreamOpen()
    {
        using var stream = TrackingStream.FromText("{\"text\":\"a\",\"index\":1}\n{\"text\":\"b\",\"index\":2}\n");

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Null(error);
        Assert.Equal([1, 2], items.Select(i => i.Index));
        Assert.False(stream.IsDisposed);
    }

    [Fact]
    public async Task Read_CrLfBlankLinesAndMissingFinalNewline_AreTolerated()
    {
        using var stream = TrackingStream.FromText("\r\n{\"text\":\"a\"}\r\n\r\n   \n{\"text\":\"b\"}\r\n{\"text\":\"c\"}");

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Null(error);
        Assert.Equal(["a", "b", "c"], items.Select(i => i.Text));
    }

    [Fact]
    public async Task Read_OneByteAtATime_GivesTheSameResult()
    {
        using var stream = TrackingStream.FromText("{\"text\":\"héllo\"}\r\n{\"text\":\"wörld\"}\n", maxBytesPerRead: 1);

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Null(error);
        Assert.Equal(["héllo", "wörld"], items.Select(i => i.Text));
    }

    [Fact]
    public async Task Read_VeryLongLine_IsRead()
    {
        var longText = new string('z', 2_000_000);
        using var stream = TrackingStream.FromText($"{{\"text\":\"{longText}\"}}\n{{\"text\":\"after\"}}\n", maxBytesPerRead: 65_536);

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Null(error);
        Assert.Equal(2, items.Count);
        Assert.Equal(longText.Length, items[0].Text!.Length);
        Assert.Equal("after", items[1].Text);
    }

    [Fact]
    public async Task Read_GarbageLineAfterGoodItems_YieldsThemThenThrowsNamingLineAndContent()
    {
        using var stream = TrackingStream.FromText("{\"text\":\"one\"}\n\n{\"text\":\"two\"}\n<html>502 Bad Gateway</html>\n{\"text\":\"never\"}\n");

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Equal(["one", "two"], items.Select(i => i.Text));
        var ex = Assert.IsType<ProviderStreamException>(error);
        Assert.Equal("Ollama", ex.Provider);
        Assert.Equal(4, ex.ChunkNumber);
        Assert.Equal("<html>502 Bad Gateway</html>", ex.Chunk);
        Assert.IsType<JsonException>(ex.InnerException, exactMatch: false);
        Assert.Contains("Ollama sent a malformed stream chunk at line 4: '<html>502 Bad Gateway</html>'", ex.Message);
        Assert.False(stream.IsDisposed);
    }

    [Fact]
    public async Task Read_TruncatedFinalLine_ThrowsAfterEarlierItems()
    {
        using var stream = TrackingStream.FromText("{\"text\":\"one\"}\r\n{\"text\":\"tw");

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Equal(["one"], items.Select(i => i.Text));
        var ex = Assert.IsType<ProviderStreamException>(error);
        Assert.Equal(2, ex.ChunkNumber);
        Assert.Equal("{\"text\":\"tw", ex.Chunk);
    }

    [Theory]
    [InlineData("{\"text\":\"a\"} trailing")]
    [InlineData("{\"text\":\"a\"}{\"text\":\"b\"}")]
    [InlineData("null")]
    [InlineData("{\"index\":\"not a number\"}")]
    public async Task Read_LineThatIsNotExactlyOneValue_IsMalformed(string line)
    {
        using var stream = TrackingStream.FromText(line + "\n");

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Empty(items);
        Assert.Equal(1, Assert.IsType<ProviderStreamException>(error).ChunkNumber);
    }

    [Fact]
    public async Task Read_ErrorLine_ThrowsProviderExceptionInsteadOfEndingSilently()
    {
        using var stream = TrackingStream.FromText("{\"text\":\"partial\"}\n{\"error\":\"an error was encountered while running the model: unexpected EOF\"}\n");

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Equal(["partial"], items.Select(i => i.Text));
        var ex = Assert.IsType<ProviderException>(error);
        Assert.Equal("Ollama", ex.Provider);
        Assert.Equal("an error was encountered while running the model: unexpected EOF", ex.ProviderMessage);
        Assert.Contains("Ollama reported an error mid-stream", ex.Message);
    }

    [Fact]
    public async Task Read_NullErrorMember_IsAValueNotAnError()
    {
        using var stream = TrackingStream.FromText("{\"error\":null,\"text\":\"fine\"}\n");

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Null(error);
        Assert.Equal("fine", Assert.Single(items).Text);
    }

    [Fact]
    public async Task Read_MalformedLineHoldingAKey_NeverShowsTheKey()
    {
        using var stream = TrackingStream.FromText($"{{\"text\":\"ok\"}}\nAuthorization: Bearer {TestKeys.OpenAI}\n");

        var (_, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        var ex = Assert.IsType<ProviderStreamException>(error);
        Assert.DoesNotContain(TestKeys.OpenAI, ex.ToString());
        Assert.Contains("Bearer ***", ex.Chunk);
    }

    [Fact]
    public async Task Read_CancelledMidStream_StopsWithOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await using var stream = StreamTestHelpers.OpenEndedStream("{\"text\":\"first\"}\n{\"text\":\"second\"}\n");
        var received = new List<string?>();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var item in Read(stream).WithCancellation(cts.Token))
            {
                received.Add(item.Text);
                await cts.CancelAsync();
            }
        });

        Assert.Equal(["first"], received);
    }

    [Fact]
    public async Task Read_CancelledWhileWaitingForData_StopsWithOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        await using var stream = StreamTestHelpers.OpenEndedStream("{\"text\":\"first\"}\n{\"text\":\"sec");
        var enumerator = Read(stream, cts.Token).GetAsyncEnumerator();

        Assert.True(await enumerator.MoveNextAsync());
        var pending = enumerator.MoveNextAsync().AsTask();
        Assert.False(pending.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        await enumerator.DisposeAsync();
    }

    [Fact]
    public async Task Read_StreamFailingMidway_BecomesTransientProviderException()
    {
        using var stream = new FailingStream(Encoding.UTF8.GetBytes("{\"text\":\"a\"}\n"));

        var (items, error) = await StreamTestHelpers.CollectAsync(Read(stream));

        Assert.Single(items);
        var ex = Assert.IsType<ProviderException>(error);
        Assert.True(ex.IsTransient);
        Assert.IsType<IOException>(ex.InnerException);
    }

    private sealed class FailingStream(byte[] prefix) : MemoryStream(prefix)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => Position < Length ? base.ReadAsync(buffer, cancellationToken) : throw new IOException("Connection reset by peer.");
    }
}
