using System.Text.Json;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// <see cref="LocalEmbeddingOptions"/> validated and resolved to concrete files, so a bad path fails at
/// registration instead of at the first embedding call, and later edits to the options object change nothing.
/// </summary>
internal sealed record LocalModelSettings(
    string? ModelPath,
    string? VocabularyPath,
    string ModelId,
    int MaxSequenceLength,
    int BatchSize,
    bool Normalize,
    bool LowerCase,
    int? IntraOpNumThreads)
{
    internal const string BundledModelId = "all-MiniLM-L6-v2";

    private const int DefaultMaxSequenceLength = 256;
    private const string ModelFileName = "model.onnx";
    private const string VocabularyFileName = "vocab.txt";

    /// <summary>Gets a value indicating whether the model and vocabulary come from the bundled package.</summary>
    public bool IsBundled => ModelPath is null;

    public static LocalModelSettings Resolve(LocalEmbeddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        if (options.BatchSize < 1)
        {
            throw new ArgumentException(
                $"{nameof(LocalEmbeddingOptions)}.{nameof(LocalEmbeddingOptions.BatchSize)} must be at least 1, but was {options.BatchSize}.",
                nameof(options));
        }

        if (options.IntraOpNumThreads is < 1)
        {
            throw new ArgumentException(
                $"{nameof(LocalEmbeddingOptions)}.{nameof(LocalEmbeddingOptions.IntraOpNumThreads)} must be at least 1 when set, but was {options.IntraOpNumThreads}.",
                nameof(options));
        }

        var modelPath = options.ModelPath is null ? null : ResolveModelFile(options.ModelPath);
        var vocabularyPath = ResolveVocabularyFile(options.VocabularyPath, modelPath);
        var modelId = options.ModelId ?? (modelPath is null ? BundledModelId : DeriveModelId(modelPath));
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId, $"{nameof(options)}.{nameof(LocalEmbeddingOptions.ModelId)}");

        // A model path is usually a sentence-transformers repository; its config files say how it was trained.
        var configFolders = ConfigFolders(modelPath, vocabularyPath);
        var maxSequenceLength = options.MaxSequenceLength
            ?? ReadSetting(configFolders, "sentence_bert_config.json", "max_seq_length", static v => v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : (int?)null)
            ?? DefaultMaxSequenceLength;
        var lowerCase = options.LowerCase
            ?? ReadSetting(configFolders, "tokenizer_config.json", "do_lower_case", static v => v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : (bool?)null)
            ?? true;

        // [CLS] and [SEP] take two positions; fewer than three would leave no room for text.
        if (maxSequenceLength < 3)
        {
            throw new ArgumentException(
                $"{nameof(LocalEmbeddingOptions)}.{nameof(LocalEmbeddingOptions.MaxSequenceLength)} must be at least 3, but was {maxSequenceLength}{(options.MaxSequenceLength is null ? " (from the model's sentence_bert_config.json)" : string.Empty)}.",
                nameof(options));
        }

        return new LocalModelSettings(
            modelPath,
            vocabularyPath,
            modelId,
            maxSequenceLength,
            options.BatchSize,
            options.Normalize,
            lowerCase,
            options.IntraOpNumThreads);
    }

    private static string[] ConfigFolders(string? modelPath, string? vocabularyPath)
    {
        if (modelPath is null)
        {
            return [];
        }

        var modelFolder = Path.GetDirectoryName(modelPath)!;
        string?[] folders = [vocabularyPath is null ? null : Path.GetDirectoryName(vocabularyPath), modelFolder, Path.GetDirectoryName(modelFolder)];
        return [.. folders.OfType<string>().Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Reads one property from the first of <paramref name="folders"/> that holds <paramref name="fileName"/>.</summary>
    private static T? ReadSetting<T>(string[] folders, string fileName, string property, Func<JsonElement, T?> read)
        where T : struct
    {
        foreach (var folder in folders)
        {
            var path = Path.Combine(folder, fileName);
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(path));
                return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(property, out var value)
                    ? read(value)
                    : null;
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"The model config '{path}' is not valid JSON: {e.Message}", e);
            }
        }

        return null;
    }

    private static string ResolveModelFile(string path)
    {
        const string Option = $"{nameof(LocalEmbeddingOptions)}.{nameof(LocalEmbeddingOptions.ModelPath)}";
        var fullPath = Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            string[] candidates = [Path.Combine(fullPath, ModelFileName), Path.Combine(fullPath, "onnx", ModelFileName)];
            var found = Array.Find(candidates, File.Exists) ?? throw new FileNotFoundException(
                $"{Option} is the folder '{fullPath}', which holds no '{ModelFileName}' (looked in '{candidates[0]}' and '{candidates[1]}').",
                fullPath);
            fullPath = found;
        }

        EnsureReadable(fullPath, Option, "ONNX model");
        return fullPath;
    }

    private static string? ResolveVocabularyFile(string? vocabularyPath, string? modelPath)
    {
        const string Option = $"{nameof(LocalEmbeddingOptions)}.{nameof(LocalEmbeddingOptions.VocabularyPath)}";
        if (vocabularyPath is not null)
        {
            var fullPath = Path.GetFullPath(vocabularyPath);
            EnsureReadable(fullPath, Option, "vocabulary");
            return fullPath;
        }

        if (modelPath is null)
        {
            return null;
        }

        // Hugging Face repositories keep vocab.txt at the root and the ONNX export in an "onnx" sub-folder.
        var modelFolder = Path.GetDirectoryName(modelPath)!;
        var beside = Path.Combine(modelFolder, VocabularyFileName);
        var parent = Path.GetDirectoryName(modelFolder);
        var above = parent is null ? null : Path.Combine(parent, VocabularyFileName);
        if (File.Exists(beside))
        {
            EnsureReadable(beside, Option, "vocabulary");
            return beside;
        }

        if (above is not null && File.Exists(above))
        {
            EnsureReadable(above, Option, "vocabulary");
            return above;
        }

        throw new FileNotFoundException(
            $"No '{VocabularyFileName}' was found for the model '{modelPath}' (looked in '{beside}'{(above is null ? string.Empty : $" and '{above}'")}); set {Option}.",
            beside);
    }

    private static void EnsureReadable(string path, string option, string what)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The {what} file '{path}' set in {option} does not exist.", path);
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileNotFoundException($"The {what} file '{path}' set in {option} cannot be read: {e.Message}", path, e);
        }
    }

    private static string DeriveModelId(string modelPath)
    {
        var name = Path.GetFileNameWithoutExtension(modelPath);
        if (!string.Equals(name, "model", StringComparison.OrdinalIgnoreCase))
        {
            return name;
        }

        // ".../all-mpnet-base-v2/onnx/model.onnx" names the model by its repository folder.
        var folder = Path.GetDirectoryName(modelPath);
        if (folder is not null && string.Equals(Path.GetFileName(folder), "onnx", StringComparison.OrdinalIgnoreCase))
        {
            folder = Path.GetDirectoryName(folder);
        }

        var folderName = folder is null ? null : Path.GetFileName(folder);
        return string.IsNullOrEmpty(folderName) ? name : folderName;
    }
}
