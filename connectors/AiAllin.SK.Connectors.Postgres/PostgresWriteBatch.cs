using System.Globalization;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>The rows of one upsert, deduplicated by key (the last record of a key wins, as sequential upserts would).</summary>
internal sealed class PostgresWriteBatch<TRecord>
    where TRecord : class
{
    private readonly Dictionary<object, int> _index = [];

    public List<object?[]> Rows { get; } = [];

    public List<(TRecord Record, Guid Key)> GeneratedKeys { get; } = [];

    public void Add(object key, object?[] row)
    {
        if (_index.TryGetValue(key, out var existing))
        {
            Rows[existing] = row;
        }
        else
        {
            _index[key] = Rows.Count;
            Rows.Add(row);
        }
    }

    public Array Keys(Type keyType)
    {
        var array = Array.CreateInstance(keyType, Rows.Count);
        for (var i = 0; i < Rows.Count; i++)
        {
            array.SetValue(Rows[i][0], i);
        }

        return array;
    }

    public int[] KeyHashes()
    {
        var hashes = Rows.Select(r => KeyHash(r[0]!)).Distinct().ToArray();
        Array.Sort(hashes);
        return hashes;
    }

    public void WriteBackGeneratedKeys(KeyPropertyModel keyProperty)
    {
        foreach (var (record, key) in GeneratedKeys)
        {
            keyProperty.SetValueAsObject(record, key);
        }
    }

    private static int KeyHash(object key) => key switch
    {
        int i => i,
        long l => (int)(l ^ (l >> 32)),
        Guid g => g.GetHashCode(),
        string s => Fnv(s),
        _ => Fnv(Convert.ToString(key, CultureInfo.InvariantCulture) ?? string.Empty),
    };

    private static int Fnv(string s)
    {
        var hash = 2166136261u;
        foreach (var c in s)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
