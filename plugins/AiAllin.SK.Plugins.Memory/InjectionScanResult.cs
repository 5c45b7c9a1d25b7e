namespace AiAllin.SK.Plugins.Memory;

/// <summary>What the injection scanner found in a text.</summary>
public sealed class InjectionScanResult
{
    internal static readonly InjectionScanResult Clean = new([], hasHiddenText: false);

    internal InjectionScanResult(IReadOnlyList<InjectionFinding> findings, bool hasHiddenText)
    {
        Findings = findings;
        HasHiddenText = hasHiddenText;
    }

    /// <summary>Gets the findings, in text order; empty when the text looks clean.</summary>
    public IReadOnlyList<InjectionFinding> Findings { get; }

    /// <summary>Gets a value indicating whether anything was found.</summary>
    public bool IsSuspicious => Findings.Count > 0;

    /// <summary>Gets the distinct rule names found, in text order.</summary>
    public IReadOnlyList<string> Rules => [.. Findings.Select(f => f.Rule).Distinct(StringComparer.Ordinal)];

    internal bool HasHiddenText { get; }
}
