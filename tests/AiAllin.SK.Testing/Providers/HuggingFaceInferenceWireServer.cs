using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// Speaks the Hugging Face Inference API's feature-extraction task as the Inference Providers documentation describes
/// it: <c>POST /hf-inference/models/{owner}/{name}/pipeline/feature-extraction</c> with a bearer token, a body of
/// <c>inputs</c> (a string or a list) plus <c>normalize</c>, <c>prompt_name</c>, <c>truncate</c>,
/// <c>truncation_direction</c> and <c>options.wait_for_model</c>, answering a bare JSON array of vectors.
/// </summary>
/// <remarks>
/// <para>
/// Errors are <c>{"error": "..."}</c> with the scripted status (and <c>error_type</c> when scripted). A cold model
/// answers 503 <c>{"error": "Model {id} is currently loading", "estimated_time": n}</c> unless the request asks to wait
/// (<c>options.wait_for_model</c> or the <c>x-wait-for-model</c> header).
/// </para>
/// <para>
/// Extras understood: <c>token_level</c> (<see langword="true"/>: answer one vector per token, <c>[[[f, …], …], …]</c>,
/// as a model without a pooling layer does; the tokens of a text are <c>[CLS]</c>, its white-space separated words and
/// <c>[SEP]</c>, each token's vector <see cref="DeterministicEmbedding.For"/> of the token), <c>loading_seconds</c>
/// (a <see cref="double"/>: the model is cold and this is its <c>estimated_time</c>). Pooled vectors are
/// <see cref="DeterministicEmbedding.For"/> of each text (8 dimensions; the task takes no size).
/// </para>
/// </remarks>
public sealed class HuggingFaceInferenceWireServer : WireServer
{
    /// <summary>The extra that asks for token-level vectors.</summary>
    public const string TokenLevelExtra = "token_level";

    /// <summary>The extra that makes the model cold, with its estimated loading time in seconds.</summary>
    public const string LoadingSecondsExtra = "loading_seconds";

    private const string Prefix = "/hf-inference/models/";
    private const string Suffix = "/pipeline/feature-extraction";
    private const int Dimensions = 8;

    /// <inheritdoc />
    public override string ProviderName => "HuggingFace";

    /// <summary>Gets the tokens the served model sees for a text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The tokens, special ones included.</returns>
    public static IReadOnlyList<string> Tokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ["[CLS]", .. text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries), "[SEP]"];
    }

    /// <inheritdoc />
    public override WireRequestView Describe(RecordedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var authorization = request.Header("authorization");
        return new WireRequestView
        {
            Model = ModelOf(request.Path),
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
            await WriteErrorAsync(context, error, new JsonObject { ["error"] = error.Message, ["error_type"] = error.Code }).ConfigureAwait(false);
            return;
        }

        var model = ModelOf(request.Path);
        if (request.Method != "POST" || model is null)
        {
            await WriteErrorAsync(context, new ScriptedError(404, "not_found", "Not Found"), new JsonObject { ["error"] = "Not Found" }).ConfigureAwait(false);
            return;
        }

        var body = request.Body as JsonObject ?? [];
        var waits = body["options"]?["wait_for_model"]?.GetValue<bool>() == true || string.Equals(request.Header("x-wait-for-model"), "true", StringComparison.OrdinalIgnoreCase);
        if (!waits && reply.Extras.TryGetValue(LoadingSecondsExtra, out var loading) && loading is double seconds)
        {
            context.Response.StatusCode = 503;
            await WriteJsonAsync(context, new JsonObject { ["error"] = $"Model {model} is currently loading", ["estimated_time"] = seconds }).ConfigureAwait(false);
            return;
        }

        string[]? inputs = body["inputs"] switch
        {
            JsonValue single => [single.GetValue<string>()],
            JsonArray list => [.. list.Select(i => i!.GetValue<string>())],
            _ => null,
        };
        if (inputs is null || inputs.Length == 0)
        {
            await WriteErrorAsync(context, new ScriptedError(400, "Validation", "`inputs` cannot be empty"), new JsonObject { ["error"] = "`inputs` cannot be empty", ["error_type"] = "Validation" }).ConfigureAwait(false);
            return;
        }

        var tokenLevel = reply.Extras.TryGetValue(TokenLevelExtra, out var flag) && flag is true;
        var answer = new JsonArray();
        for (var i = 0; i < inputs.Length; i++)
        {
            if (tokenLevel)
            {
                answer.Add(new JsonArray([.. Tokens(inputs[i]).Select(token => Vector(DeterministicEmbedding.For(token, Dimensions)))]));
            }
            else
            {
                answer.Add(Vector(reply.Embeddings is { } scripted ? scripted[i] : DeterministicEmbedding.For(inputs[i], Dimensions)));
            }
        }

        await WriteJsonAsync(context, answer).ConfigureAwait(false);
    }

    private static JsonArray Vector(float[] values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v)!)]);

    private static string? ModelOf(string path)
    {
        if (!path.StartsWith(Prefix, StringComparison.Ordinal) || !path.EndsWith(Suffix, StringComparison.Ordinal) || path.Length <= Prefix.Length + Suffix.Length)
        {
            return null;
        }

        return Uri.UnescapeDataString(path[Prefix.Length..^Suffix.Length]);
    }
}
