namespace AiAllin.SK.Filters.Validation;

/// <summary>A request was rejected by input validation before any model was called; <see cref="Rule"/> names the rule.</summary>
public sealed class ChatValidationException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public ChatValidationException()
        : this("The request was rejected by input validation.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message.</param>
    public ChatValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ChatValidationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a rejection by <paramref name="rule"/>.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="detail">What broke the rule (never the prompt text itself).</param>
    public ChatValidationException(ValidationRule rule, string detail)
        : base($"The request was rejected by the input-validation rule {rule}: {detail}")
    {
        Rule = rule;
    }

    /// <summary>Gets the rule that rejected the request, when known.</summary>
    public ValidationRule? Rule { get; }
}
