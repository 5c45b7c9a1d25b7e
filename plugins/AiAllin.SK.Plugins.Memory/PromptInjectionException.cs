namespace AiAllin.SK.Plugins.Memory;

/// <summary>A text was refused because the injection scanner flagged it (policy <see cref="InjectionPolicy.Refuse"/>).</summary>
public sealed class PromptInjectionException : InvalidOperationException
{
    /// <summary>Initializes a new instance of the <see cref="PromptInjectionException"/> class.</summary>
    public PromptInjectionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PromptInjectionException"/> class.</summary>
    /// <param name="message">The message.</param>
    public PromptInjectionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="PromptInjectionException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PromptInjectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the rules the text matched (never the text itself, which may be hostile or private).</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];
}
