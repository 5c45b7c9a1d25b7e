namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// Options for <see cref="LocalEmbeddingGenerator"/>: which sentence-transformer ONNX model to run and how.
/// </summary>
/// <remarks>
/// Leave <see cref="ModelPath"/> unset to use the bundled all-MiniLM-L6-v2 (384 dimensions), which needs no
/// download. Any other BERT-family sentence-transformer exported to ONNX works through <see cref="ModelPath"/>
/// and <see cref="VocabularyPath"/>.
/// </remarks>
public sealed class LocalEmbeddingOptions
{
    /// <summary>
    /// Gets or sets the path of the ONNX model file, or of a folder holding <c>model.onnx</c> (directly or in an
    /// <c>onnx</c> sub-folder, as Hugging Face exports lay it out). <see langword="null"/> selects the bundled
    /// all-MiniLM-L6-v2.
    /// </summary>
    public string? ModelPath { get; set; }

    /// <summary>
    /// Gets or sets the path of the WordPiece <c>vocab.txt</c>. When <see langword="null"/>, the bundled vocabulary
    /// is used for the bundled model, and <c>vocab.txt</c> next to the model (or one folder up) otherwise.
    /// </summary>
    public string? VocabularyPath { get; set; }

    /// <summary>
    /// Gets or sets the model id reported in metadata and on each <c>Embedding</c>. When <see langword="null"/>,
    /// it is <c>all-MiniLM-L6-v2</c> for the bundled model and the model's file or folder name otherwise.
    /// </summary>
    public string? ModelId { get; set; }

    /// <summary>
    /// Gets or sets the maximum number of tokens per input, special tokens included; longer inputs are truncated,
    /// as sentence-transformers does. When <see langword="null"/>, the model's own <c>max_seq_length</c> is used:
    /// 256 for the bundled model, and for a model path the value in <c>sentence_bert_config.json</c> beside the
    /// vocabulary or the model, or 256 if there is none.
    /// </summary>
    public int? MaxSequenceLength { get; set; }

    /// <summary>Gets or sets how many inputs run through the model at once. Defaults to 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>
    /// Gets or sets a value indicating whether vectors are scaled to unit length, so that the dot product equals
    /// the cosine similarity. Defaults to <see langword="true"/>.
    /// </summary>
    public bool Normalize { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether text is lower-cased and stripped of accents before tokenisation,
    /// as uncased BERT vocabularies expect. When <see langword="null"/>, the model decides: <see langword="true"/>
    /// for the bundled model, and for a model path the <c>do_lower_case</c> of the <c>tokenizer_config.json</c>
    /// beside the vocabulary or the model, or <see langword="true"/> if there is none.
    /// </summary>
    public bool? LowerCase { get; set; }

    /// <summary>
    /// Gets or sets the number of threads ONNX Runtime uses inside one inference. <see langword="null"/> lets
    /// ONNX Runtime choose (one per physical core).
    /// </summary>
    public int? IntraOpNumThreads { get; set; }
}
