using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Connectors.HuggingFace.Wire;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>The batching both remote generators share: split, post each batch, read its vectors in order, sum the usage.</summary>
internal static class EmbeddingBatches
{
    /// <summary>How one generator sends a batch and reads the answer.</summary>
    /// <param name="Provider">The provider name for errors and logs.</param>
    /// <param name="Path">The request path relative to the client's base address.</param>
    /// <param name="Headers">Extra request headers, or <see langword="null"/>.</param>
    /// <param name="PoolTokens">Whether token-level answers are mean-pooled.</param>
    /// <param name="NormalizePooled">Whether vectors pooled here are scaled to unit length.</param>
    public sealed record Plan(string Provider, string Path, IReadOnlyDictionary<string, string>? Headers, bool PoolTokens, bool NormalizePooled);

    /// <summary>
    /// Embeds <paramref name="inputs"/> in batches of at most <paramref name="batchSize"/>, in order. When the server
    /// refuses a batch as too large and names its limit, the rest is split to that limit and
    /// <paramref name="lowerBatchSize"/> is told, so later calls start with it.
    /// </summary>
    /// <returns>One embedding per input, with the summed <c>x-compute-tokens</c> as usage when every answer had it.</returns>
    public static async Task<GeneratedEmbeddings<Embedding<float>>> SendAsync(
        HttpClient http,
        Plan plan,
        string[] inputs,
        int batchSize,
        Action<int> lowerBatchSize,
        Func<string[], EmbedRequest> createRequest,
        string? modelId,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Length);
        var created = DateTimeOffset.UtcNow;
        long? tokens = 0;
        var requests = 0;
        try
        {
            var offset = 0;
            while (offset < inputs.Length)
            {
                var batch = inputs[offset..Math.Min(inputs.Length, offset + batchSize)];
                byte[] body;
                long? batchTokens;
                try
                {
                    (body, batchTokens) = await HuggingFaceHttp.PostAsync(http, plan.Provider, plan.Path, createRequest(batch), HuggingFaceJsonContext.Default.EmbedRequest, plan.Headers, cancellationToken).ConfigureAwait(false);
                }
                catch (ProviderException ex) when (ServerBatchLimit.From(ex, batch.Length) is { } allowed)
                {
                    HuggingFaceLog.BatchSizeLowered(logger, plan.Provider, batch.Length, allowed);
                    batchSize = allowed;
                    lowerBatchSize(allowed);
                    continue;
                }

                requests++;
                tokens = tokens is { } sum && batchTokens is { } add ? sum + add : null;
                foreach (var vector in EmbeddingResponseReader.Read(body, plan.Provider, batch.Length, plan.PoolTokens, plan.NormalizePooled))
                {
                    result.Add(new Embedding<float>(vector) { ModelId = modelId, CreatedAt = created });
                }

                offset += batch.Length;
            }
        }
        catch (ProviderException ex)
        {
            HuggingFaceLog.RequestFailed(logger, plan.Provider, "embed", (int?)ex.StatusCode, ex.Message);
            throw;
        }

        if (tokens is { } total)
        {
            result.Usage = new UsageDetails { InputTokenCount = total, TotalTokenCount = total };
        }

        HuggingFaceLog.EmbeddingsGenerated(logger, plan.Provider, result.Count, modelId, requests);
        return result;
    }
}
