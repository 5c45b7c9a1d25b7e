using System.Numerics.Tensors;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// Reads the bare nested arrays that TEI's <c>/embed</c> and the Inference API's feature-extraction answer with, straight
/// from the bytes: pooled <c>[[f, …], …]</c> (one vector per input), or token-level <c>[[[f, …], …], …]</c> (one vector
/// per token per input, from models without a pooling layer), which is mean-pooled when allowed.
/// </summary>
internal static class EmbeddingResponseReader
{
    /// <summary>Reads one vector per input.</summary>
    /// <param name="json">The response body.</param>
    /// <param name="provider">The provider name for errors.</param>
    /// <param name="expected">How many inputs were sent.</param>
    /// <param name="poolTokens">Whether token-level output is mean-pooled (and then scaled to unit length when <paramref name="normalizePooled"/>); otherwise it is an error.</param>
    /// <param name="normalizePooled">Whether vectors pooled here are scaled to unit length.</param>
    /// <returns>The vectors, in input order.</returns>
    /// <exception cref="ProviderException">The body is not one of the documented shapes, or has the wrong number of vectors.</exception>
    public static float[][] Read(ReadOnlySpan<byte> json, string provider, int expected, bool poolTokens, bool normalizePooled)
    {
        float[][] vectors;
        try
        {
            var reader = new Utf8JsonReader(json);
            Expect(ref reader, JsonTokenType.StartArray, provider);
            Advance(ref reader, provider);
            vectors = reader.TokenType switch
            {
                // A single input may come back as one bare vector.
                JsonTokenType.Number => [ReadNumbers(ref reader, provider)],
                JsonTokenType.StartArray => ReadRows(ref reader, provider, poolTokens, normalizePooled),
                JsonTokenType.EndArray => [],
                _ => throw Malformed(provider, $"an array of vectors was expected but {reader.TokenType} was found"),
            };
        }
        catch (JsonException ex)
        {
            throw new ProviderException(provider, statusCode: null, errorCode: null, "the embedding response is not valid JSON: " + ex.Message, isTransient: false, innerException: ex);
        }

        if (vectors.Length != expected)
        {
            throw Malformed(provider, $"the response has {vectors.Length} vectors for {expected} inputs");
        }

        return vectors;
    }

    private static float[][] ReadRows(ref Utf8JsonReader reader, string provider, bool poolTokens, bool normalizePooled)
    {
        var rows = new List<float[]>();
        while (reader.TokenType == JsonTokenType.StartArray)
        {
            Advance(ref reader, provider);
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                if (!poolTokens)
                {
                    throw Malformed(provider, "the model returned one vector per token (it has no pooling layer) and PoolTokenEmbeddings is off; turn it on to mean-pool them, or use a sentence-embedding model");
                }

                rows.Add(MeanPool(ref reader, provider, normalizePooled));
            }
            else
            {
                rows.Add(ReadNumbers(ref reader, provider));
            }

            Advance(ref reader, provider);
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw Malformed(provider, $"a vector was expected but {reader.TokenType} was found");
        }

        return [.. rows];
    }

    // Reader sits on a row's first token vector's StartArray; returns on the row's EndArray.
    private static float[] MeanPool(ref Utf8JsonReader reader, string provider, bool normalize)
    {
        float[]? sum = null;
        var tokens = 0;
        while (reader.TokenType == JsonTokenType.StartArray)
        {
            Advance(ref reader, provider);
            var token = ReadNumbers(ref reader, provider);
            if (sum is null)
            {
                sum = token;
            }
            else if (token.Length != sum.Length)
            {
                throw Malformed(provider, $"token vectors of one input differ in length ({sum.Length} and {token.Length})");
            }
            else
            {
                TensorPrimitives.Add(sum, token, sum);
            }

            tokens++;
            Advance(ref reader, provider);
        }

        if (reader.TokenType != JsonTokenType.EndArray || sum is null)
        {
            throw Malformed(provider, "an input has no token vectors");
        }

        TensorPrimitives.Divide(sum, tokens, sum);
        if (normalize)
        {
            var norm = TensorPrimitives.Norm(sum);
            if (norm > 0f)
            {
                TensorPrimitives.Divide(sum, norm, sum);
            }
        }

        return sum;
    }

    // Reader sits on the first element (a number, or the EndArray of an empty vector); returns on the vector's EndArray.
    private static float[] ReadNumbers(ref Utf8JsonReader reader, string provider)
    {
        var values = new List<float>(1024);
        while (reader.TokenType == JsonTokenType.Number)
        {
            values.Add(reader.GetSingle());
            Advance(ref reader, provider);
        }

        if (reader.TokenType != JsonTokenType.EndArray)
        {
            throw Malformed(provider, $"a number was expected inside a vector but {reader.TokenType} was found");
        }

        if (values.Count == 0)
        {
            throw Malformed(provider, "the response has an empty vector");
        }

        return [.. values];
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string provider)
    {
        Advance(ref reader, provider);
        if (reader.TokenType != type)
        {
            throw Malformed(provider, $"{type} was expected but {reader.TokenType} was found");
        }
    }

    private static void Advance(ref Utf8JsonReader reader, string provider)
    {
        if (!reader.Read())
        {
            throw Malformed(provider, "the response ended early");
        }
    }

    private static ProviderException Malformed(string provider, string message) =>
        new(provider, statusCode: null, errorCode: null, message + ".", isTransient: false);
}
