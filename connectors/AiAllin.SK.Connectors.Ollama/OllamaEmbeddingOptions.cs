namespace AiAllin.SK.Connectors.Ollama;

/// <summary>
/// Settings of the Ollama embedding generator (<c>/api/embed</c>): the chat settings that apply plus the vector size
/// and truncation. The model comes from <c>OLLAMA_EMBEDDING_MODEL</c>, then <c>OLLAMA_MODEL</c>, when not set.
/// </summary>
public sealed class OllamaEmbeddingOptions : OllamaOptions
{
    /// <summary>Gets or sets the default vector size (<c>dimensions</c>); <see langword="null"/> keeps the model's own.</summary>
    public int? Dimensions { get; set; }

    /// <summary>
    /// Gets or sets whether inputs longer than the context are cut (<c>truncate</c>); <see langword="false"/> makes
    /// such inputs an error. <see langword="null"/> leaves the server's default (truncate).
    /// </summary>
    public bool? Truncate { get; set; }

    /// <inheritdoc />
    protected override IReadOnlyList<string> ModelEnvironmentVariables => ["OLLAMA_EMBEDDING_MODEL", "OLLAMA_MODEL"];

    /// <inheritdoc />
    protected override void AddValidationErrors(string sectionName, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        base.AddValidationErrors(sectionName, errors);
        if (Dimensions is <= 0)
        {
            errors.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{sectionName}:Dimensions must be positive (was {Dimensions})."));
        }
    }
}
