using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Our layer over the Microsoft.Extensions.AI embedding adapter of the OpenAI SDK: applies the default dimensions and
/// surfaces every failure as a <see cref="ProviderException"/>.
/// </summary>
internal sealed class OpenAIProviderEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private readonly string _provider;
    private readonly string? _apiKey;
    private readonly int? _dimensions;
    private readonly IDisposable? _owned;

    /// <summary>Wraps the adapter.</summary>
    /// <param name="inner">The SDK adapter (<c>AsIEmbeddingGenerator()</c>).</param>
    /// <param name="provider">The provider name used in exceptions.</param>
    /// <param name="apiKey">The key, redacted from exception texts.</param>
    /// <param name="dimensions">The default dimensions, or <see langword="null"/>.</param>
    /// <param name="owned">A resource disposed with the generator (its HTTP client), or <see langword="null"/>.</param>
    public OpenAIProviderEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, string provider, string? apiKey, int? dimensions, IDisposable? owned = null)
        : base(inner)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        _provider = provider;
        _apiKey = apiKey;
        _dimensions = dimensions;
        _owned = owned;
    }

    /// <inheritdoc />
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (_dimensions is not null && options?.Dimensions is null)
        {
            options = options?.Clone() ?? new EmbeddingGenerationOptions();
            options.Dimensions = _dimensions;
        }

        try
        {
            return await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (OpenAIErrorMapper.Map(_provider, ex, _apiKey, cancellationToken) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _owned?.Dispose();
        }

        base.Dispose(disposing);
    }
}
