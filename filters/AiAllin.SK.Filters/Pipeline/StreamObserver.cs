namespace AiAllin.SK.Filters.Pipeline;

/// <summary>
/// What a policy does around one stream it watches (logging, metrics, hooks); <see cref="ObservedStream"/> runs the
/// loop, so the rules of reading a stream (open lazily, report a failed read and rethrow it, tell an early stop from
/// the end, always dispose the source) are written once.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal abstract class StreamObserver<T>
{
    /// <summary>Opens the source when the caller starts reading; a failure here is reported to <see cref="OnFailedAsync"/>.</summary>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The source enumerator.</returns>
    public abstract ValueTask<IAsyncEnumerator<T>> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Sees each item before it is handed on.</summary>
    /// <param name="item">The item.</param>
    public abstract void OnItem(T item);

    /// <summary>Sees a failure to open or read the source; the failure is rethrown afterwards.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>A task that completes when handled.</returns>
    public virtual ValueTask OnFailedAsync(Exception exception) => default;

    /// <summary>Sees the caller stop reading before the end (after the source was disposed).</summary>
    public virtual void OnAbandoned()
    {
    }

    /// <summary>Sees the end of the source after its last item (after the source was disposed).</summary>
    /// <returns>A task that completes when handled.</returns>
    public virtual ValueTask OnCompletedAsync() => default;
}
