using System.Buffers.Binary;
using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData.ProviderServices;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>How one model property is stored: its column, SQL type, how values are written by binary COPY and read back.</summary>
internal sealed class PostgresColumn
{
    private static readonly MethodInfo ReadMethod = typeof(PostgresColumn).GetMethod(nameof(ReadValue), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo WriteMethod = typeof(PostgresColumn).GetMethod(nameof(WriteValue), BindingFlags.NonPublic | BindingFlags.Static)!;

    private readonly Func<NpgsqlDataReader, int, object?> _read;
    private readonly Func<NpgsqlBinaryImporter, object, NpgsqlDbType, CancellationToken, Task> _write;

    private PostgresColumn(PropertyModel property, string sqlType, NpgsqlDbType dbType, Type readType)
    {
        Property = property;
        Name = property.StorageName;
        Quoted = PostgresNames.Quote(Name);
        SqlType = sqlType;
        DbType = dbType;
        _read = ReadMethod.MakeGenericMethod(readType).CreateDelegate<Func<NpgsqlDataReader, int, object?>>();

        // Typed writes let Npgsql pick the converter once per column type instead of per boxed value.
        var writeType = dbType switch
        {
            NpgsqlDbType.Bytea => typeof(byte[]),
            NpgsqlDbType.Jsonb => typeof(string),
            _ => readType,
        };
        _write = WriteMethod.MakeGenericMethod(writeType).CreateDelegate<Func<NpgsqlBinaryImporter, object, NpgsqlDbType, CancellationToken, Task>>();
    }

    public PropertyModel Property { get; }

    public string Name { get; }

    public string Quoted { get; }

    /// <summary>The column type in DDL, e.g. <c>bigint</c>, <c>text[]</c> or <c>vector(384)</c>.</summary>
    public string SqlType { get; }

    public NpgsqlDbType DbType { get; }

    public bool IsVector => Property is VectorPropertyModel;

    public bool IsHalfVector { get; private init; }

    public bool IsSparseVector { get; private init; }

    /// <summary>Gets a value indicating whether the column is a PostgreSQL <c>bit(n)</c> (a <see cref="BitArray"/> or <see cref="BinaryEmbedding"/>).</summary>
    public bool IsBitVector { get; private init; }

    /// <summary>The pgvector type of a vector column: <c>vector</c>, <c>halfvec</c>, <c>sparsevec</c> or <c>bit</c>.</summary>
    public string VectorTypeName => IsBitVector ? "bit" : IsSparseVector ? "sparsevec" : IsHalfVector ? "halfvec" : "vector";

    /// <summary>Gets the opt-in quantized index of a <c>vector</c> column (<see cref="PostgresVectorQuantization.None"/> for every other column).</summary>
    public PostgresVectorQuantization Quantization { get; init; }

    public int Dimensions { get; private init; }

    /// <summary>
    /// The SQL expression that reads the column: dense vectors come back as <c>real[]</c>, sparse vectors in their binary
    /// send format (as <c>bytea</c>), so reads need no type plugin; bit vectors as <c>varbit</c>, which Npgsql reads as a
    /// <see cref="BitArray"/> whatever the length (a <c>bit(1)</c> would otherwise come back as a <see langword="bool"/>).
    /// </summary>
    public string SelectExpression => Selection(string.Empty);

    /// <summary>The <see cref="SelectExpression"/> of the column qualified by a table alias such as <c>c.</c>.</summary>
    public string Selection(string prefix)
        => IsSparseVector ? $"sparsevec_send({prefix}{Quoted})" : IsBitVector ? $"{prefix}{Quoted}::varbit" : IsVector ? $"{prefix}{Quoted}::real[]" : prefix + Quoted;

    /// <summary>The name of the generated <c>tsvector</c> column of a full-text indexed property.</summary>
    public string? TsVectorColumn { get; private init; }

    public static PostgresColumn ForKey(KeyPropertyModel property)
    {
        var type = property.Type;
        var (sqlType, dbType) = type switch
        {
            _ when type == typeof(string) => ("text", NpgsqlDbType.Text),
            _ when type == typeof(Guid) => ("uuid", NpgsqlDbType.Uuid),
            _ when type == typeof(int) => ("integer", NpgsqlDbType.Integer),
            _ when type == typeof(long) => ("bigint", NpgsqlDbType.Bigint),
            _ => throw new NotSupportedException($"Key property '{property.ModelName}' has unsupported type '{type.Name}'. Supported key types: {PostgresModelBuilder.SupportedKeyTypes}."),
        };
        return new PostgresColumn(property, sqlType, dbType, type);
    }

    public static PostgresColumn ForData(DataPropertyModel property, JsonSerializerOptions jsonOptions)
    {
        var type = Nullable.GetUnderlyingType(property.Type) ?? property.Type;
        if (IsJsonType(type))
        {
            return new PostgresColumn(property, "jsonb", NpgsqlDbType.Jsonb, typeof(string)) { JsonOptions = jsonOptions };
        }

        if (type.IsEnum)
        {
            var storage = EnumStorageType(type) ?? throw Unsupported(property);
            var (enumSql, enumDb) = Scalar(storage)!.Value;
            return new PostgresColumn(property, enumSql, enumDb, storage) { EnumType = type };
        }

        var element = ElementType(type);
        string sqlType;
        NpgsqlDbType dbType;
        if (element is not null)
        {
            var (elementSql, elementDb) = Scalar(element) ?? throw Unsupported(property);
            (sqlType, dbType) = (elementSql + "[]", NpgsqlDbType.Array | elementDb);
        }
        else
        {
            (sqlType, dbType) = Scalar(type) ?? throw Unsupported(property);
        }

        return new PostgresColumn(property, sqlType, dbType, type)
        {
            TsVectorColumn = property.IsFullTextIndexed && type == typeof(string) ? PostgresNames.Derived(property.StorageName, "tsv") : null,
        };
    }

    public static PostgresColumn ForVector(VectorPropertyModel property, PostgresVectorQuantization quantization = PostgresVectorQuantization.None)
    {
        if (IsBitType(property.EmbeddingType ?? property.Type))
        {
            return new PostgresColumn(property, $"bit({property.Dimensions})", NpgsqlDbType.Bytea, typeof(BitArray))
            {
                IsBitVector = true,
                Dimensions = property.Dimensions,
            };
        }

        if (IsSparseType(property.EmbeddingType ?? property.Type))
        {
            return new PostgresColumn(property, $"sparsevec({property.Dimensions})", NpgsqlDbType.Bytea, typeof(byte[]))
            {
                IsSparseVector = true,
                Dimensions = property.Dimensions,
            };
        }

        var half = IsHalfType(property.EmbeddingType ?? property.Type);
        return new PostgresColumn(property, $"{(half ? "halfvec" : "vector")}({property.Dimensions})", NpgsqlDbType.Bytea, typeof(float[]))
        {
            IsHalfVector = half,
            Dimensions = property.Dimensions,
            Quantization = half ? PostgresVectorQuantization.None : quantization,
        };
    }

    public static bool IsSupportedDataType(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return IsJsonType(type) || (type.IsEnum && EnumStorageType(type) is not null) || (ElementType(type) is { } element ? Scalar(element) is not null : Scalar(type) is not null);
    }

    /// <summary>
    /// Types stored as <c>jsonb</c>: dictionaries with string keys, and the application's own classes and records (any
    /// type outside the <c>System</c> namespaces), serialised with System.Text.Json.
    /// </summary>
    public static bool IsJsonType(Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Dictionary<,>) || definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>)))
        {
            return type.GetGenericArguments()[0] == typeof(string);
        }

        return !type.IsPrimitive && !type.IsEnum && !type.IsArray && !type.IsPointer
            && type.Namespace is { } ns && ns != "System" && !ns.StartsWith("System.", StringComparison.Ordinal)
            && !ns.StartsWith("Microsoft.", StringComparison.Ordinal);
    }

    /// <summary>Gets a value indicating whether the column is <c>jsonb</c> (not filterable or sortable).</summary>
    public bool IsJson => JsonOptions is not null;

    private JsonSerializerOptions? JsonOptions { get; init; }

    /// <summary>The enum type of a property stored as its underlying integer, or null.</summary>
    private Type? EnumType { get; init; }

    /// <summary>
    /// The integer type that stores an enum: <c>smallint</c> up to 16 bits, <c>integer</c> for <c>ushort</c>/<c>int</c>,
    /// <c>bigint</c> for <c>uint</c>/<c>long</c>; null for <c>ulong</c>, which no PostgreSQL integer holds.
    /// </summary>
    public static Type? EnumStorageType(Type enumType) => Type.GetTypeCode(Enum.GetUnderlyingType(enumType)) switch
    {
        TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 => typeof(short),
        TypeCode.UInt16 or TypeCode.Int32 => typeof(int),
        TypeCode.UInt32 or TypeCode.Int64 => typeof(long),
        _ => null,
    };

    /// <summary>The value written to the column: JSON text for jsonb columns, an enum's integer, UTC timestamps, the value otherwise.</summary>
    public object? ToColumnValue(object? value) => value switch
    {
        null => null,
        _ when JsonOptions is { } options => JsonSerializer.Serialize(value, Property.Type, options),
        Enum => Convert.ChangeType(value, EnumStorageType(value.GetType())!, CultureInfo.InvariantCulture),
        _ => ToDatabase(value),
    };

    public static bool IsFloatVectorType(Type type)
        => type == typeof(ReadOnlyMemory<float>) || type == typeof(ReadOnlyMemory<float>?) || type == typeof(Embedding<float>) || type == typeof(float[]);

    public static bool IsHalfType(Type type)
        => type == typeof(ReadOnlyMemory<Half>) || type == typeof(ReadOnlyMemory<Half>?) || type == typeof(Embedding<Half>) || type == typeof(Half[]);

    public static bool IsSparseType(Type type) => type == typeof(SparseVector);

    public static bool IsBitType(Type type) => type == typeof(BitArray) || type == typeof(BinaryEmbedding);

    /// <summary>Whether a property of <paramref name="type"/> holds a vector as it is (rather than an input to embed).</summary>
    public static bool IsStoredVectorType(Type type) => IsFloatVectorType(type) || IsHalfType(type) || IsSparseType(type) || IsBitType(type);

    /// <summary>Reads the column into the CLR type of the property (vectors into the property's vector type).</summary>
    public object? Read(NpgsqlDataReader reader, int ordinal)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        var value = _read(reader, ordinal);
        if (JsonOptions is { } options)
        {
            return JsonSerializer.Deserialize((string)value!, Property.Type, options);
        }

        if (EnumType is { } enumType)
        {
            return Enum.ToObject(enumType, value!);
        }

        if (!IsVector)
        {
            return value;
        }

        if (IsSparseVector)
        {
            return DecodeSparseVector((byte[])value!);
        }

        if (IsBitVector)
        {
            var bits = (BitArray)value!;
            return Property.Type == typeof(BinaryEmbedding) ? new BinaryEmbedding(bits) : bits;
        }

        var floats = (float[])value!;
        var type = ((VectorPropertyModel)Property).EmbeddingType ?? Property.Type;
        if (IsHalfType(type))
        {
            var halves = Array.ConvertAll(floats, f => (Half)f);
            return type == typeof(Half[]) ? halves : type == typeof(Embedding<Half>) ? new Embedding<Half>(halves) : new ReadOnlyMemory<Half>(halves);
        }

        return type == typeof(float[]) ? floats : type == typeof(Embedding<float>) ? new Embedding<float>(floats) : new ReadOnlyMemory<float>(floats);
    }

    /// <summary>Brings a value to what Npgsql writes for the column type (UTC timestamps).</summary>
    public static object? ToDatabase(object? value) => value switch
    {
        DateTime { Kind: DateTimeKind.Local } local => local.ToUniversalTime(),
        DateTime { Kind: DateTimeKind.Unspecified } unspecified => DateTime.SpecifyKind(unspecified, DateTimeKind.Utc),
        DateTimeOffset offset => offset.ToUniversalTime(),
        _ => value,
    };

    /// <summary>
    /// The binary wire format of pgvector's <c>vector</c> / <c>halfvec</c> (int16 dimensions, int16 unused, big-endian
    /// elements). Written as raw bytes by binary COPY, so writes need no type plugin on the user's data source.
    /// </summary>
    public static byte[] EncodeVector(ReadOnlySpan<float> vector, bool half)
    {
        var elementSize = half ? 2 : 4;
        var bytes = new byte[4 + (vector.Length * elementSize)];
        BinaryPrimitives.WriteInt16BigEndian(bytes, checked((short)vector.Length));
        var span = bytes.AsSpan(4);
        if (half)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                BinaryPrimitives.WriteHalfBigEndian(span[(i * 2)..], (Half)vector[i]);
            }
        }
        else
        {
            // One vectorised byte swap of the whole vector (the wire is big-endian).
            if (BitConverter.IsLittleEndian)
            {
                BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<float, int>(vector), MemoryMarshal.Cast<byte, int>(span));
            }
            else
            {
                MemoryMarshal.AsBytes(vector).CopyTo(span);
            }
        }

        return bytes;
    }

    /// <summary>
    /// The binary wire format of pgvector's <c>sparsevec</c>: int32 dimensions, int32 count of non-zero elements, int32
    /// unused, then the zero-based indices (int32) and the values (float4), all big-endian. The caller has validated the
    /// indices (ascending, in range) and dropped zero values, which pgvector rejects.
    /// </summary>
    public static byte[] EncodeSparseVector(int dimensions, ReadOnlySpan<int> indices, ReadOnlySpan<float> values)
    {
        var bytes = new byte[12 + (indices.Length * 8)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, dimensions);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), indices.Length);
        var indexSpan = bytes.AsSpan(12);
        var valueSpan = bytes.AsSpan(12 + (indices.Length * 4));
        for (var i = 0; i < indices.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(indexSpan[(i * 4)..], indices[i]);
            BinaryPrimitives.WriteSingleBigEndian(valueSpan[(i * 4)..], values[i]);
        }

        return bytes;
    }

    /// <summary>
    /// The binary wire format of PostgreSQL's <c>bit(n)</c>: int32 length in bits, then the bits packed into bytes with
    /// the first bit in the high-order bit of the first byte (big-endian), unused low-order bits zero.
    /// </summary>
    public static byte[] EncodeBits(BitArray bits)
    {
        var bytes = new byte[4 + ((bits.Length + 7) / 8)];
        BinaryPrimitives.WriteInt32BigEndian(bytes, bits.Length);
        for (var i = 0; i < bits.Length; i++)
        {
            if (bits[i])
            {
                bytes[4 + (i >> 3)] |= (byte)(0x80 >> (i & 7));
            }
        }

        return bytes;
    }

    /// <summary>Reads pgvector's <c>sparsevec</c> binary format (see <see cref="EncodeSparseVector"/>).</summary>
    public static SparseVector DecodeSparseVector(ReadOnlySpan<byte> bytes)
    {
        var dimensions = BinaryPrimitives.ReadInt32BigEndian(bytes);
        var count = BinaryPrimitives.ReadInt32BigEndian(bytes[4..]);
        var indices = new int[count];
        var values = new float[count];
        var indexSpan = bytes[12..];
        var valueSpan = bytes[(12 + (count * 4))..];
        for (var i = 0; i < count; i++)
        {
            indices[i] = BinaryPrimitives.ReadInt32BigEndian(indexSpan[(i * 4)..]);
            values[i] = BinaryPrimitives.ReadSingleBigEndian(valueSpan[(i * 4)..]);
        }

        return new SparseVector(dimensions, indices, values);
    }

    /// <summary>Writes one value of a COPY row (never null: nulls are written by the caller).</summary>
    public Task WriteAsync(NpgsqlBinaryImporter importer, object value, CancellationToken cancellationToken)
        => _write(importer, value, DbType, cancellationToken);

    private static object? ReadValue<T>(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<T>(ordinal);

    private static Task WriteValue<T>(NpgsqlBinaryImporter importer, object value, NpgsqlDbType dbType, CancellationToken cancellationToken)
        => importer.WriteAsync((T)value, dbType, cancellationToken);

    private static Type? ElementType(Type type)
        => type.IsArray && type != typeof(byte[]) ? type.GetElementType()
            : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0]
            : null;

    private static (string Sql, NpgsqlDbType Db)? Scalar(Type type) => type switch
    {
        _ when type == typeof(bool) => ("boolean", NpgsqlDbType.Boolean),
        _ when type == typeof(short) => ("smallint", NpgsqlDbType.Smallint),
        _ when type == typeof(int) => ("integer", NpgsqlDbType.Integer),
        _ when type == typeof(long) => ("bigint", NpgsqlDbType.Bigint),
        _ when type == typeof(float) => ("real", NpgsqlDbType.Real),
        _ when type == typeof(double) => ("double precision", NpgsqlDbType.Double),
        _ when type == typeof(decimal) => ("numeric", NpgsqlDbType.Numeric),
        _ when type == typeof(string) => ("text", NpgsqlDbType.Text),
        _ when type == typeof(Guid) => ("uuid", NpgsqlDbType.Uuid),
        _ when type == typeof(DateTime) => ("timestamptz", NpgsqlDbType.TimestampTz),
        _ when type == typeof(DateTimeOffset) => ("timestamptz", NpgsqlDbType.TimestampTz),
        _ when type == typeof(DateOnly) => ("date", NpgsqlDbType.Date),
        _ when type == typeof(TimeOnly) => ("time", NpgsqlDbType.Time),
        _ when type == typeof(byte[]) => ("bytea", NpgsqlDbType.Bytea),
        _ => null,
    };

    private static NotSupportedException Unsupported(DataPropertyModel property)
        => new($"Data property '{property.ModelName}' has unsupported type '{property.Type.Name}'. Supported data types: {PostgresModelBuilder.SupportedDataTypes}.");
}
