using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// Speaks the Hugging Face text-embeddings-inference (TEI) HTTP API as its OpenAPI document (<c>docs/openapi.json</c>)
/// and router describe it: <c>POST /embed</c> (<c>inputs</c> a string or a list, <c>truncate</c>,
/// <c>truncation_direction</c> <c>Left</c>/<c>Right</c>, <c>normalize</c>, <c>prompt_name</c>, <c>dimensions</c>;
/// answers a bare <c>[[f, …], …]</c> with an <c>x-compute-tokens</c> header), <c>POST /rerank</c> (<c>query</c>,
/// <c>texts</c>, <c>truncate</c>, <c>raw_scores</c>, <c>return_text</c>; answers <c>[{"index", "score"}]</c> sorted by
/// score, as TEI does: ascending stable sort then reversed) and <c>GET /info</c>.
/// </summary>
/// <remarks>
/// <para>
/// Errors are TEI's <c>{"error": "...", "error_type": "..."}</c> with its status per type: <c>Validation</c> 413 (batch
/// larger than <see cref="MaxClientBatchSize"/>, empty list, unknown prompt), <c>Tokenizer</c> 422 (an input longer than
/// <see cref="MaxInputLength"/> tokens without <c>truncate</c>), <c>Backend</c> 424 (<c>/rerank</c> on an embedding
/// model), <c>Overloaded</c> 429. Scripted errors are written in the same shape with the scripted status and code.
/// </para>
/// <para>
/// The served "model": a token is a white-space separated word, plus two special tokens per text; a text's vector is
/// <see cref="DeterministicEmbedding.For"/> of the (prompted, truncated) text at the requested dimensions (8 by default),
/// times 3 when <c>normalize</c> is false, so the flag is observable. The reranker's raw score of a text is
/// <c>4 × (shared distinct words / query's distinct words) − 2</c>; without <c>raw_scores</c> it is passed through the
/// sigmoid, as TEI does. TEI serves one model, so <see cref="Describe"/> reports <see cref="ModelId"/> as the model.
/// A reply with <see cref="ScriptedReply.StallAfter"/> set holds the response open without a byte until the client goes.
/// </para>
/// </remarks>
public sealed class TextEmbeddingsInferenceWireServer : WireServer
{
    private const int DefaultDimensions = 8;

    /// <inheritdoc />
    public override string ProviderName => "TEI";

    /// <summary>Gets or sets the model id the server reports in <c>/info</c> and serves.</summary>
    public string ModelId { get; set; } = "BAAI/bge-small-en-v1.5";

    /// <summary>Gets or sets the server's <c>--max-client-batch-size</c>.</summary>
    public int MaxClientBatchSize { get; set; } = 32;

    /// <summary>Gets or sets the longest input in tokens (words + 2).</summary>
    public int MaxInputLength { get; set; } = 512;

    /// <summary>Gets or sets whether the server runs a reranker (sequence-classification) model instead of an embedding model.</summary>
    public bool IsReranker { get; set; }

    /// <summary>Gets the prompts of the model's sentence-transformers configuration, by name.</summary>
    public IDictionary<string, string> Prompts { get; } = new Dictionary<string, string>(StringComparer.Ordinal) { ["query"] = "query: ", ["document"] = "passage: " };

    /// <summary>Gets the raw rerank score the served model gives <paramref name="text"/> for <paramref name="query"/>.</summary>
    /// <param name="query">The query.</param>
    /// <param name="text">The text.</param>
    /// <returns>The raw score (a logit).</returns>
    public static double RawScore(string query, string text)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(text);
        var queryWords = Words(query).Select(w => w.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var textWords = Words(text).Select(w => w.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var shared = queryWords.Count == 0 ? 0 : (double)queryWords.Count(textWords.Contains) / queryWords.Count;
        return (4 * shared) - 2;
    }

    /// <summary>Gets the score the served model reports without <c>raw_scores</c>: the sigmoid of <see cref="RawScore"/>, as a float.</summary>
    /// <param name="query">The query.</param>
    /// <param name="text">The text.</param>
    /// <returns>The score between 0 and 1.</returns>
    public static double Score(string query, string text) => (float)(1 / (1 + Math.Exp(-RawScore(query, text))));

    /// <summary>Gets the text the served model embeds for an input after its prompt and truncation.</summary>
    /// <param name="text">The input.</param>
    /// <param name="prompt">The prompt text put before it, or <see langword="null"/>.</param>
    /// <param name="maxTokens">The longest input in tokens, when truncating.</param>
    /// <param name="fromLeft">Whether truncation cuts the beginning.</param>
    /// <returns>The text embedded.</returns>
    public static string EffectiveText(string text, string? prompt, int? maxTokens, bool fromLeft)
    {
        ArgumentNullException.ThrowIfNull(text);
        var full = (prompt ?? string.Empty) + text;
        if (maxTokens is not { } max)
        {
            return full;
        }

        var words = Words(full);
        var keep = Math.Max(0, max - 2);
        return words.Length <= keep ? full : string.Join(' ', fromLeft ? words[^keep..] : words[..keep]);
    }

    /// <inheritdoc />
    public override WireRequestView Describe(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Header("authorization");
        return new WireRequestView
        {
            Model = ModelId,
            Credential = authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..] : authorization,
        };
    }

    /// <inheritdoc />
    protected override async Task HandleAsync(HttpContext context, RecordedRequest request, ScriptedReply reply)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.Error is { } error)
        {
            await WriteErrorAsync(context, error, ErrorBody(error.Message, error.Code)).ConfigureAwait(false);
            return;
        }

        if (reply.StallAfter is not null)
        {
            await StallAsync(context).ConfigureAwait(false);
            return;
        }

        var body = request.Body as JsonObject ?? [];
        switch (request.Method, request.Path)
        {
            case ("GET", "/info"):
                await WriteJsonAsync(context, Info()).ConfigureAwait(false);
                break;
            case ("POST", "/embed"):
                await EmbedAsync(context, body, reply).ConfigureAwait(false);
                break;
            case ("POST", "/rerank"):
                await RerankAsync(context, body).ConfigureAwait(false);
                break;
            default:
                context.Response.StatusCode = 404;
                break;
        }
    }

    private static JsonObject ErrorBody(string message, string type) => new() { ["error"] = message, ["error_type"] = type };

    private static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static Task FailAsync(HttpContext context, int status, string type, string message) =>
        WriteErrorAsync(context, new ScriptedError(status, type, message), ErrorBody(message, type));

    private JsonObject Info() => new()
    {
        ["model_id"] = ModelId,
        ["model_dtype"] = "float32",
        ["model_type"] = IsReranker
            ? new JsonObject { ["reranker"] = new JsonObject { ["id2label"] = new JsonObject { ["0"] = "LABEL_0" }, ["label2id"] = new JsonObject { ["LABEL_0"] = 0 } } }
            : new JsonObject { ["embedding"] = new JsonObject { ["pooling"] = "cls" } },
        ["max_concurrent_requests"] = 512,
        ["max_input_length"] = MaxInputLength,
        ["max_batch_tokens"] = 16384,
        ["max_client_batch_size"] = MaxClientBatchSize,
        ["auto_truncate"] = false,
        ["tokenization_workers"] = 2,
        ["version"] = "1.8.0",
    };

    private async Task EmbedAsync(HttpContext context, JsonObject body, ScriptedReply reply)
    {
        var inputs = body["inputs"] switch
        {
            JsonValue single => [single.GetValue<string>()],
            JsonArray list => list.Select(i => i!.GetValue<string>()).ToArray(),
            _ => null,
        };
        if (inputs is null || inputs.Length == 0)
        {
            await FailAsync(context, 413, "Validation", "`inputs` cannot be empty").ConfigureAwait(false);
            return;
        }

        if (inputs.Length > MaxClientBatchSize)
        {
            await FailAsync(context, 413, "Validation", $"batch size {inputs.Length} > maximum allowed batch size {MaxClientBatchSize}").ConfigureAwait(false);
            return;
        }

        string? prompt = null;
        if (body["prompt_name"]?.GetValue<string>() is { } promptName && !Prompts.TryGetValue(promptName, out prompt))
        {
            await FailAsync(context, 413, "Validation", $"Prompt name `{promptName}` was not found in the available prompts").ConfigureAwait(false);
            return;
        }

        var truncate = body["truncate"]?.GetValue<bool>() ?? false;
        var fromLeft = body["truncation_direction"]?.GetValue<string>() == "Left";
        var normalize = body["normalize"]?.GetValue<bool>() ?? true;
        var dimensions = body["dimensions"]?.GetValue<int>() ?? DefaultDimensions;
        var vectors = new JsonArray();
        long tokens = 0;
        for (var i = 0; i < inputs.Length; i++)
        {
            var count = Words((prompt ?? string.Empty) + inputs[i]).Length + 2;
            if (count > MaxInputLength && !truncate)
            {
                await FailAsync(context, 422, "Tokenizer", $"Input validation error: `inputs` must have less than {MaxInputLength} tokens. Given: {count}").ConfigureAwait(false);
                return;
            }

            tokens += Math.Min(count, MaxInputLength);
            var vector = reply.Embeddings is { } scripted ? scripted[i] : DeterministicEmbedding.For(EffectiveText(inputs[i], prompt, truncate ? MaxInputLength : null, fromLeft), dimensions);
            vectors.Add(new JsonArray(vector.Select(v => (JsonNode)JsonValue.Create(normalize ? v : v * 3)!).ToArray()));
        }

        context.Response.Headers["x-compute-tokens"] = (reply.Usage?.InputTokens ?? tokens).ToString(CultureInfo.InvariantCulture);
        await WriteJsonAsync(context, vectors).ConfigureAwait(false);
    }

    private async Task RerankAsync(HttpContext context, JsonObject body)
    {
        var query = body["query"]?.GetValue<string>();
        var texts = (body["texts"] as JsonArray)?.Select(t => t?.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null).ToArray();
        if (query is null || texts is null || texts.Any(t => t is null))
        {
            await FailAsync(context, 422, "Validation", "Failed to deserialize the JSON body into the target type: `query` and `texts` (strings) are required").ConfigureAwait(false);
            return;
        }

        if (texts.Length == 0)
        {
            await FailAsync(context, 413, "Validation", "`texts` cannot be empty").ConfigureAwait(false);
            return;
        }

        if (!IsReranker)
        {
            await FailAsync(context, 424, "Backend", "model is not a re-ranker model").ConfigureAwait(false);
            return;
        }

        if (texts.Length > MaxClientBatchSize)
        {
            await FailAsync(context, 413, "Validation", $"batch size {texts.Length} > maximum allowed batch size {MaxClientBatchSize}").ConfigureAwait(false);
            return;
        }

        var raw = body["raw_scores"]?.GetValue<bool>() ?? false;
        var returnText = body["return_text"]?.GetValue<bool>() ?? false;
        var ranks = texts.Select((text, index) => (Index: index, Text: text!, Score: raw ? (float)RawScore(query, text!) : (float)Score(query, text!))).ToList();

        // TEI sorts ascending (a stable sort) and then reverses, so equal scores come out in reverse index order.
        ranks = [.. ranks.OrderBy(r => r.Score)];
        ranks.Reverse();
        var answer = new JsonArray();
        foreach (var rank in ranks)
        {
            var item = new JsonObject { ["index"] = rank.Index };
            if (returnText)
            {
                item["text"] = rank.Text;
            }

            item["score"] = rank.Score;
            answer.Add(item);
        }

        await WriteJsonAsync(context, answer).ConfigureAwait(false);
    }
}
