using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Our layer over the Microsoft.Extensions.AI adapter of the OpenAI SDK: applies the options' default max tokens and
/// temperature, sends <see cref="ChatOptions.AdditionalProperties"/> as extra request fields (the adapter drops them),
/// repairs what the adapter loses on real traffic (<see cref="OpenAIStreamRepair"/>), and makes sure every failure (including one raised between streamed updates) surfaces as a
/// <see cref="ProviderException"/> after the updates already delivered.
/// </summary>
internal sealed class OpenAIProviderChatClient : DelegatingChatClient
{
    private readonly string _provider;
    private readonly string? _apiKey;
    private readonly int? _maxTokens;
    private readonly float? _temperature;
    private readonly IDisposable? _owned;

    /// <summary>Wraps the adapter.</summary>
    /// <param name="inner">The SDK adapter (<c>AsIChatClient()</c>).</param>
    /// <param name="provider">The provider name used in exceptions.</param>
    /// <param name="options">The options (defaults and key).</param>
    /// <param name="owned">A resource disposed with the client (its HTTP client), or <see langword="null"/>.</param>
    public OpenAIProviderChatClient(IChatClient inner, string provider, ProviderOptions options, IDisposable? owned = null)
        : base(inner)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentNullException.ThrowIfNull(options);
        _provider = provider;
        _apiKey = options.ApiKey;
        _maxTokens = options.MaxTokens;
        _temperature = options.Temperature;
        _owned = owned;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await base.GetResponseAsync(messages, WithDefaults(options), cancellationToken).ConfigureAwait(false);
            OpenAIStreamRepair.AddReasoning(response);
            return response;
        }
        catch (Exception ex) when (OpenAIErrorMapper.Map(_provider, ex, _apiKey, cancellationToken) is { } mapped)
        {
            throw mapped;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages,
        ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var repair = new OpenAIStreamRepair();
        var rebuildToolCalls = false;
        var updates = base.GetStreamingResponseAsync(messages, WithDefaults(options), cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex) when (repair.CanRebuildToolCalls(ex))
                {
                    rebuildToolCalls = true;
                    break;
                }
                catch (Exception ex) when (OpenAIErrorMapper.Map(_provider, ex, _apiKey, cancellationToken) is { } mapped)
                {
                    throw mapped;
                }

                var update = updates.Current;
                repair.Inspect(update);
                yield return update;
            }
        }

        if (rebuildToolCalls)
        {
            yield return repair.ToolCallUpdate();
        }

        if (repair.RefusalUpdate() is { } refusal)
        {
            yield return refusal;
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

    // The SDK's JSON patch (marked experimental) is its only way to add fields it has no property for; the adapter
    // drops AdditionalProperties (OpenAIChatClientTests.AdditionalProperties_AreSentAsExtraRequestFields).
#pragma warning disable SCME0001
    private static Func<IChatClient, object?> PatchingFactory(AdditionalPropertiesDictionary extra, Func<IChatClient, object?>? previous)
    {
        var fields = extra
            .Select(p => (Path: Encoding.UTF8.GetBytes("$." + p.Key), Json: JsonSerializer.SerializeToUtf8Bytes(p.Value, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(object)))))
            .ToList();
        return client =>
        {
            var completionOptions = previous?.Invoke(client) as ChatCompletionOptions ?? new ChatCompletionOptions();
            foreach (var (path, json) in fields)
            {
                completionOptions.Patch.Set(path, json);
            }

            return completionOptions;
        };
    }
#pragma warning restore SCME0001

    private ChatOptions? WithDefaults(ChatOptions? options)
    {
        var addMaxTokens = _maxTokens is not null && options?.MaxOutputTokens is null;
        var addTemperature = _temperature is not null && options?.Temperature is null;
        var extra = options?.AdditionalProperties is { Count: > 0 } properties ? properties : null;
        if (!addMaxTokens && !addTemperature && extra is null)
        {
            return options;
        }

        var effective = options?.Clone() ?? new ChatOptions();
        effective.MaxOutputTokens ??= _maxTokens;
        effective.Temperature ??= _temperature;
        if (extra is not null)
        {
            effective.RawRepresentationFactory = PatchingFactory(extra, options!.RawRepresentationFactory);
        }

        return effective;
    }
}
