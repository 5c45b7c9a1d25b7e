using AiAllin.SK.Connectors.Core;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using TextContent = Microsoft.Extensions.AI.TextContent;

namespace AiAllin.SK.Filters.Validation;

/// <summary>
/// Rejects a request before any model is called when it breaks a rule of <see cref="ValidationOptions"/>: too long,
/// a model not allowed, or a blocked pattern. The rejection is a <see cref="ChatValidationException"/> naming the rule.
/// </summary>
public sealed partial class ValidationPolicy
{
    private readonly int? _maxCharacters;
    private readonly HashSet<string> _allowedModels;
    private readonly Regex[] _blocked;
    private readonly ILogger _logger;

    /// <summary>Initializes the policy.</summary>
    /// <param name="options">The options; validated here.</param>
    /// <param name="logger">Logs rejections (rule and size, never the prompt); <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public ValidationPolicy(ValidationOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _maxCharacters = options.MaxPromptCharacters;
        _allowedModels = new HashSet<string>(options.AllowedModels, StringComparer.OrdinalIgnoreCase);
        _blocked = [.. options.BlockedPatterns];
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>Validates the messages of a model call.</summary>
    /// <param name="messages">The messages.</param>
    /// <param name="model">The model the call uses, when known.</param>
    /// <exception cref="ChatValidationException">A rule is broken.</exception>
    public void Validate(IEnumerable<ChatMessage> messages, string? model)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ValidateModel(model);
        var characters = 0;
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is TextContent text)
                {
                    characters += text.Text.Length;
                    CheckBlocked(text.Text);
                }
            }
        }

        CheckSize(characters);
    }

    /// <summary>Validates a rendered SK prompt.</summary>
    /// <param name="prompt">The rendered prompt.</param>
    /// <param name="model">The model from the execution settings, when set; an unknown model is left to the chat layer.</param>
    /// <exception cref="ChatValidationException">A rule is broken.</exception>
    public void ValidatePrompt(string prompt, string? model)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        if (model is not null)
        {
            ValidateModel(model);
        }

        CheckBlocked(prompt);
        CheckSize(prompt.Length);
    }

    internal async Task OnPromptRenderAsync(PromptRenderContext context, Func<PromptRenderContext, Task> next)
    {
        await next(context).ConfigureAwait(false);
        if (context.RenderedPrompt is { } prompt)
        {
            ValidatePrompt(prompt, context.ExecutionSettings?.ModelId);
        }
    }

    [LoggerMessage(EventId = AiAllinEventIds.ValidationRejected, Level = LogLevel.Warning, Message = "Request rejected by input-validation rule {Rule}: {Detail}")]
    private static partial void LogRejected(ILogger logger, ValidationRule rule, string detail);

    private void ValidateModel(string? model)
    {
        if (_allowedModels.Count == 0)
        {
            return;
        }

        if (model is null)
        {
            Reject(ValidationRule.AllowedModels, "the request names no model and the client has no default model");
        }
        else if (!_allowedModels.Contains(model))
        {
            Reject(ValidationRule.AllowedModels, $"model '{model}' is not allowed (allowed: {string.Join(", ", _allowedModels)})");
        }
    }

    private void CheckSize(int characters)
    {
        if (characters > _maxCharacters)
        {
            Reject(ValidationRule.MaxPromptSize, $"the prompt has {characters} characters, the limit is {_maxCharacters}");
        }
    }

    private void CheckBlocked(string text)
    {
        for (var i = 0; i < _blocked.Length; i++)
        {
            if (_blocked[i].IsMatch(text))
            {
                // Name the pattern, not the text that matched: the prompt may hold what the caller wants kept out of logs.
                Reject(ValidationRule.BlockedPattern, $"the prompt matches blocked pattern #{i} ({_blocked[i]})");
            }
        }
    }

    private void Reject(ValidationRule rule, string detail)
    {
        LogRejected(_logger, rule, detail);
        throw new ChatValidationException(rule, detail);
    }
}
