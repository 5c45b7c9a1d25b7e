using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Pipeline;

/// <summary>
/// Replaces the <see cref="IAsyncEnumerable{T}"/> that a streaming SK invocation leaves in
/// <see cref="FunctionInvocationContext.Result"/> with a wrapped one of the same element type, because SK casts the
/// value back to <c>IAsyncEnumerable&lt;TResult&gt;</c> of the caller's type (string, StreamingKernelContent...).
/// </summary>
internal static class FunctionResultStreams
{
    private static readonly ConcurrentDictionary<Type, Func<object, IFunctionStreamWrapper, object>?> Wrappers = new();

    private static readonly MethodInfo WrapTypedMethod =
        typeof(FunctionResultStreams).GetMethod(nameof(WrapTyped), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Wraps the streamed result of <paramref name="context"/>; returns false when it holds no stream.</summary>
    public static bool TryWrap(FunctionInvocationContext context, IFunctionStreamWrapper wrapper)
    {
        var value = context.Result.GetValue<object>();
        if (value is null)
        {
            return false;
        }

        var wrap = Wrappers.GetOrAdd(value.GetType(), CreateWrapper);
        if (wrap is null)
        {
            return false;
        }

        context.Result = new FunctionResult(context.Result, wrap(value, wrapper));
        return true;
    }

    /// <summary>Gets the text of one streamed item (a string, or the text of an SK streaming content).</summary>
    public static string? TextOf(object? item) => item switch
    {
        null => null,
        string s => s,
        StreamingKernelContent c => c.ToString(),
        _ => item.ToString(),
    };

    private static Func<object, IFunctionStreamWrapper, object>? CreateWrapper(Type type)
    {
        var stream = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>)
            ? type
            : Array.Find(type.GetInterfaces(), i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>));
        return stream is null
            ? null
            : WrapTypedMethod.MakeGenericMethod(stream.GetGenericArguments()[0]).CreateDelegate<Func<object, IFunctionStreamWrapper, object>>();
    }

    private static object WrapTyped<T>(object source, IFunctionStreamWrapper wrapper) => wrapper.Wrap((IAsyncEnumerable<T>)source);
}
