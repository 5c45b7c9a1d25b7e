using System.Text.RegularExpressions;

namespace AiAllin.SK.Filters.Transform;

/// <summary>Ready-made patterns for <see cref="TransformOptions.PiiPatterns"/> and <c>LoggingOptions.RedactionPatterns</c>.</summary>
public static partial class PiiPatterns
{
    /// <summary>Gets a pattern matching e-mail addresses.</summary>
    public static Regex Email => EmailRegex();

    /// <summary>Gets a pattern matching payment-card-like numbers (13 to 19 digits, optionally grouped by spaces or dashes).</summary>
    /// <remarks>It spans spaces, so streams masked with it hold back up to <see cref="TransformOptions.MaxPiiLength"/> characters.</remarks>
    public static Regex CardNumber => CardNumberRegex();

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailRegex();

    [GeneratedRegex(@"\b(?:\d[ \-]?){12,18}\d\b", RegexOptions.CultureInvariant)]
    private static partial Regex CardNumberRegex();
}
