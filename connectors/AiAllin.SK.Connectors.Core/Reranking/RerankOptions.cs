namespace AiAllin.SK.Connectors.Core.Reranking;

/// <summary>Options for one <see cref="IReranker.RerankAsync"/> call.</summary>
public sealed class RerankOptions
{
    /// <summary>Gets or sets how many of the best results to return; <see langword="null"/> returns all.</summary>
    public int? TopN { get; set; }

    /// <summary>Gets or sets the model to use instead of the reranker's configured one.</summary>
    public string? ModelId { get; set; }

    /// <summary>
    /// Gets or sets whether a document longer than the model's input is truncated (<see langword="true"/>) or
    /// refused with an error (<see langword="false"/>); <see langword="null"/> keeps the service's default.
    /// </summary>
    public bool? Truncate { get; set; }
}
