using System.Collections;
using System.Numerics;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// The bit vectors (<see cref="BitArray"/>, <c>BinaryEmbedding</c>) of one vector property, packed 64 bits to a
/// <see cref="ulong"/> word, bit <c>i</c> in word <c>i / 64</c> at position <c>i % 64</c>, unused high bits zero. Each
/// row's count of set bits is kept beside it (the auxiliary number) for Jaccard.
/// </summary>
internal sealed class BitVectorColumn(string storageName, int bits) : ChunkedVectorColumn<ulong>(storageName, bits, WordCount(bits))
{
    public static int WordCount(int bits) => (bits + 63) / 64;

    /// <summary>Packs <paramref name="bits"/> into new words: the store's own copy, which later changes to the array cannot reach.</summary>
    public static ulong[] Pack(BitArray bits)
    {
        var ints = new int[(bits.Length + 31) / 32];
        bits.CopyTo(ints, 0);
        var words = new ulong[WordCount(bits.Length)];
        for (var i = 0; i < ints.Length; i++)
        {
            words[i / 2] |= (ulong)(uint)ints[i] << (32 * (i % 2));
        }

        // Bits past the length must be zero for the counts to be right; BitArray does not promise it after every operation.
        if (bits.Length % 64 != 0)
        {
            words[^1] &= (1UL << (bits.Length % 64)) - 1;
        }

        return words;
    }

    public static BitArray Unpack(ReadOnlySpan<ulong> words, int length)
    {
        var ints = new int[(length + 31) / 32];
        for (var i = 0; i < ints.Length; i++)
        {
            ints[i] = (int)(uint)(words[i / 2] >> (32 * (i % 2)));
        }

        return new BitArray(ints) { Length = length };
    }

    public static int PopCount(ReadOnlySpan<ulong> words)
    {
        var count = 0;
        foreach (var word in words)
        {
            count += BitOperations.PopCount(word);
        }

        return count;
    }

    public override void Set(int slot, in PreparedVector vector)
    {
        if (vector.IsPresent)
        {
            SetRow(slot, vector.Bits!, vector.Aux);
        }
        else
        {
            Clear(slot);
        }
    }
}
