using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace AiAllin.SK.Connectors.Core.Tests;

internal static class StreamTestHelpers
{
    /// <summary>Collects items until the sequence ends or throws, so tests can check what arrived before an error.</summary>
    public static async Task<(List<T> Items, Exception? Error)> CollectAsync<T>(IAsyncEnumerable<T> source)
    {
        var items = new List<T>();
        try
        {
            await foreach (var item in source)
            {
                items.Add(item);
            }

            return (items, null);
        }
        catch (Exception ex)
        {
            return (items, ex);
        }
    }

    /// <summary>A stream that delivers <paramref name="text"/> and then stays open, as a slow server would.</summary>
    public static Stream OpenEndedStream(string text)
    {
        var pipe = new Pipe();
        pipe.Writer.Write(Encoding.UTF8.GetBytes(text));
        _ = pipe.Writer.FlushAsync().AsTask();
        return pipe.Reader.AsStream();
    }
}
