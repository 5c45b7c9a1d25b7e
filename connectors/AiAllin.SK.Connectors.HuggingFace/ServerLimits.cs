using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.HuggingFace.Wire;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// The batch size and model id a TEI client works with: the configured ones, capped and filled from the server's
/// <c>GET /info</c> when <see cref="TextEmbeddingsInferenceServerOptions.ReadServerInfo"/> is on. <c>/info</c> is read
/// once; a failed read is not remembered, so the next call tries again.
/// </summary>
internal sealed class ServerLimits(HttpClient http, string provider, TextEmbeddingsInferenceServerOptions options) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Resolved? _resolved = options.ReadServerInfo ? null : new Resolved(options.MaxBatchSize, options.Model);

    public async ValueTask<Resolved> GetAsync(CancellationToken cancellationToken)
    {
        if (_resolved is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_resolved is { } raced)
            {
                return raced;
            }

            using var response = await http.GetAsync(new Uri("info", UriKind.Relative), cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            ServerInfo? info;
            try
            {
                info = JsonSerializer.Deserialize(body, HuggingFaceJsonContext.Default.ServerInfo);
            }
            catch (JsonException ex)
            {
                throw new ProviderException(provider, statusCode: null, errorCode: null, "GET /info did not answer with TEI's info object: " + ex.Message, isTransient: false, innerException: ex);
            }

            var batch = info?.MaxClientBatchSize is > 0 and var serverMax ? Math.Min(options.MaxBatchSize, serverMax) : options.MaxBatchSize;
            var resolved = new Resolved(batch, string.IsNullOrWhiteSpace(options.Model) ? info?.ModelId : options.Model);
            _resolved = resolved;
            return resolved;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Caps the batch size at what the server said it allows, for every later call.</summary>
    /// <param name="allowed">The server's limit.</param>
    public void Lower(int allowed)
    {
        if (_resolved is { } known && allowed < known.MaxBatchSize)
        {
            _resolved = known with { MaxBatchSize = allowed };
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>The batch size and model id to use.</summary>
    /// <param name="MaxBatchSize">The most texts per request.</param>
    /// <param name="ModelId">The model id, when known.</param>
    internal sealed record Resolved(int MaxBatchSize, string? ModelId);
}
