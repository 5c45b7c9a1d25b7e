using System.Collections.Concurrent;

namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// A handler an app would add to a named <see cref="HttpClient"/> (<c>AddHttpClient(name).AddHttpMessageHandler(...)</c>):
/// records the path of every request that passes through it, so a test can show a provider used that client.
/// </summary>
public sealed class RecordingHandler : DelegatingHandler
{
    private readonly ConcurrentQueue<string> _paths;

    /// <summary>Initializes a new instance of the <see cref="RecordingHandler"/> class.</summary>
    /// <param name="paths">Receives the path of each request; shared between the handler instances the factory creates.</param>
    public RecordingHandler(ConcurrentQueue<string> paths) => _paths = paths;

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _paths.Enqueue(request.RequestUri!.AbsolutePath);
        return base.SendAsync(request, cancellationToken);
    }
}
