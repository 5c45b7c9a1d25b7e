namespace AiAllin.SK.Filters.Pipeline;

/// <summary>Wraps a streamed SK function result whatever its element type.</summary>
internal interface IFunctionStreamWrapper
{
    IAsyncEnumerable<T> Wrap<T>(IAsyncEnumerable<T> source);
}
