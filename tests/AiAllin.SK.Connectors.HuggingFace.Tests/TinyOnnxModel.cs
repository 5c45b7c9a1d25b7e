using System.Text;

namespace AiAllin.SK.Connectors.HuggingFace.Tests;

/// <summary>
/// Writes a tiny ONNX model by hand (protobuf wire format), so the generic code paths can be tested on a model
/// that is not MiniLM: it takes <c>input_ids</c> and <c>attention_mask</c> only (no <c>token_type_ids</c>) and
/// outputs a 2-D <c>sentence_embedding</c> of symbolic width: [sum of the token ids, number of unmasked tokens].
/// </summary>
internal static class TinyOnnxModel
{
    public const int Float = 1;
    public const int Int32 = 6;
    public const int Int64 = 7;

    /// <summary>A WordPiece vocabulary whose ids are easy to add up: [PAD]=0 ... hello=5, world=6, ##s=7.</summary>
    public static readonly string[] Vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "##s"];

    /// <summary>Writes <c>model.onnx</c> and <c>vocab.txt</c> into <paramref name="folder"/>.</summary>
    /// <param name="folder">The folder to create.</param>
    /// <param name="tokenType">The element type of the token inputs (<see cref="Int64"/> or <see cref="Int32"/>).</param>
    /// <param name="extraInput">The name of one more (unused) token input, if any.</param>
    public static void Write(string folder, int tokenType = Int64, string? extraInput = null)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, "vocab.txt"), Vocabulary);
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), Build(tokenType, extraInput));
    }

    private static byte[] Build(int tokenType, string? extraInput)
    {
        var graph = new Proto()
            .Message(1, Node("Cast", ["input_ids"], ["ids"], new Proto().String(1, "to").Int(3, Float).Int(20, 2)))
            .Message(1, Node("Cast", ["attention_mask"], ["mask"], new Proto().String(1, "to").Int(3, Float).Int(20, 2)))
            .Message(1, Node("ReduceSum", ["ids"], ["id_sum"], Axes(), KeepDims()))
            .Message(1, Node("ReduceSum", ["mask"], ["count"], Axes(), KeepDims()))
            .Message(1, Node("Concat", ["id_sum", "count"], ["sentence_embedding"], new Proto().String(1, "axis").Int(3, 1).Int(20, 2)))
            .String(2, "tiny")
            .Message(11, Tensor("input_ids", tokenType, "batch", "sequence"))
            .Message(11, Tensor("attention_mask", tokenType, "batch", "sequence"))
            .Message(12, Tensor("sentence_embedding", Float, "batch", "width"));
        if (extraInput is not null)
        {
            graph.Message(11, Tensor(extraInput, tokenType, "batch", "sequence"));
        }

        return new Proto()
            .Int(1, 7)
            .String(2, "aiallin-tests")
            .Message(7, graph)
            .Message(8, new Proto().String(1, string.Empty).Int(2, 11))
            .ToArray();
    }

    private static Proto Axes() => new Proto().String(1, "axes").Int(8, 1).Int(20, 7);

    private static Proto KeepDims() => new Proto().String(1, "keepdims").Int(3, 1).Int(20, 2);

    private static Proto Node(string op, string[] inputs, string[] outputs, params Proto[] attributes)
    {
        var node = new Proto();
        foreach (var input in inputs)
        {
            node.String(1, input);
        }

        foreach (var output in outputs)
        {
            node.String(2, output);
        }

        node.String(4, op);
        foreach (var attribute in attributes)
        {
            node.Message(5, attribute);
        }

        return node;
    }

    private static Proto Tensor(string name, int elementType, params string[] dims)
    {
        var shape = new Proto();
        foreach (var dim in dims)
        {
            shape.Message(1, new Proto().String(2, dim));
        }

        var tensorType = new Proto().Int(1, elementType).Message(2, shape);
        return new Proto().String(1, name).Message(2, new Proto().Message(1, tensorType));
    }

    private sealed class Proto
    {
        private readonly MemoryStream _buffer = new();

        public Proto Int(int field, long value)
        {
            Varint((ulong)field << 3);
            Varint((ulong)value);
            return this;
        }

        public Proto String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Message(int field, Proto message) => Bytes(field, message.ToArray());

        public byte[] ToArray() => _buffer.ToArray();

        private Proto Bytes(int field, byte[] bytes)
        {
            Varint(((ulong)field << 3) | 2);
            Varint((ulong)bytes.Length);
            _buffer.Write(bytes);
            return this;
        }

        private void Varint(ulong value)
        {
            while (value >= 0x80)
            {
                _buffer.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _buffer.WriteByte((byte)value);
        }
    }
}
