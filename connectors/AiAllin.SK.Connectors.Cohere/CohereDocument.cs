namespace AiAllin.SK.Connectors.Cohere;

/// <summary>
/// A document the model grounds its answer in (an element of the chat request's <c>documents</c>), passed in
/// <c>ChatOptions.AdditionalProperties[<see cref="CohereChatClient.DocumentsKey"/>]</c>. Citations of it come back as
/// <c>CitationAnnotation</c>s naming <see cref="Id"/> and, when present, its <c>title</c>, <c>url</c> and <c>snippet</c>/<c>text</c> fields.
/// </summary>
public sealed class CohereDocument
{
    /// <summary>Gets or sets the id citations refer to; <see langword="null"/> lets Cohere number the documents (<c>doc:0</c>, ...).</summary>
    public string? Id { get; set; }

    /// <summary>Gets the document's fields (for example <c>title</c>, <c>snippet</c>, <c>url</c>); all of them are shown to the model.</summary>
    public IDictionary<string, string> Data { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Creates a document with a <c>title</c> and a <c>snippet</c>.</summary>
    /// <param name="id">The id citations refer to.</param>
    /// <param name="title">The title.</param>
    /// <param name="snippet">The text.</param>
    /// <returns>The document.</returns>
    public static CohereDocument Create(string? id, string title, string snippet)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(snippet);
        var document = new CohereDocument { Id = id };
        document.Data["title"] = title;
        document.Data["snippet"] = snippet;
        return document;
    }
}
