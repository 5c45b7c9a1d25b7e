namespace AiAllin.SK.Plugins.Memory;

/// <summary>Options of a <see cref="PromptInjectionScanner"/>.</summary>
public sealed class PromptInjectionScannerOptions
{
    /// <summary>
    /// Gets the hosts that markdown images and links may point to without being flagged as exfiltration (exact host
    /// names or subdomains of them, for example <c>example.com</c> also allows <c>cdn.example.com</c>).
    /// </summary>
    public ISet<string> AllowedHosts { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets whether base64 and hex runs are decoded and flagged when they hide text. Defaults to <see langword="true"/>.</summary>
    public bool ScanEncodedPayloads { get; set; } = true;
}
