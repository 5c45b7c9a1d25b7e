using System.Collections;
using Microsoft.Extensions.AI;
using MongoDB.Bson;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// Converts record values to BSON and back, for writes, filters and reads alike, so a filter constant always has the
/// BSON type of the stored field. Values are always BSON values: a user string stays a BSON string, whatever it holds.
/// </summary>
/// <remarks>
/// BSON dates hold milliseconds in UTC: <see cref="DateTime"/> and <see cref="DateTimeOffset"/> round-trip to the
/// millisecond (a <see cref="DateTimeOffset"/> comes back with offset zero). <see cref="DateOnly"/> is stored as its
/// midnight UTC, <see cref="TimeOnly"/> as its ticks (both keep their order), <see cref="Guid"/> as binary subtype 4.
/// </remarks>
internal static class MongoValues
{
    internal const string SupportedKeyTypes = "string, Guid, ObjectId, int, long";

    internal const string SupportedVectorTypes = "ReadOnlyMemory<float>, Embedding<float>, float[]";

    internal const string SupportedDataTypes =
        "bool, short, int, long, float, double, decimal, string, Guid, ObjectId, DateTime, DateTimeOffset, DateOnly, TimeOnly, byte[], " +
        "enums (stored as their integer), their nullable forms, and arrays or List<T> of those (except byte[])";

    public static bool IsSupportedKeyType(Type type)
        => type == typeof(string) || type == typeof(Guid) || type == typeof(ObjectId) || type == typeof(int) || type == typeof(long);

    public static bool IsVectorType(Type type)
        => type == typeof(ReadOnlyMemory<float>) || type == typeof(ReadOnlyMemory<float>?) || type == typeof(Embedding<float>) || type == typeof(float[]);

    public static bool IsSupportedDataType(Type type)
    {
        if (type == typeof(byte[]))
        {
            return true;
        }

        if (ElementType(type) is { } element)
        {
            return IsScalar(element);
        }

        return IsScalar(type);
    }

    /// <summary>The element type of an array or <see cref="List{T}"/> data property (not <c>byte[]</c>), else null.</summary>
    public static Type? ElementType(Type type)
        => type == typeof(byte[]) ? null
            : type.IsArray ? type.GetElementType()
            : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0]
            : null;

    public static BsonValue ToBson(object? value)
        => value switch
        {
            null => BsonNull.Value,
            bool b => (BsonBoolean)b,
            short s => new BsonInt32(s),
            int i => new BsonInt32(i),
            long l => new BsonInt64(l),
            float f => new BsonDouble(f),
            double d => new BsonDouble(d),
            decimal m => new BsonDecimal128(m),
            string s => new BsonString(s),
            Guid g => new BsonBinaryData(g, GuidRepresentation.Standard),
            ObjectId o => new BsonObjectId(o),
            DateTime t => new BsonDateTime(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc)),
            DateTimeOffset t => new BsonDateTime(t.UtcDateTime),
            DateOnly d => new BsonDateTime(d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc)),
            TimeOnly t => new BsonInt64(t.Ticks),
            byte[] bytes => new BsonBinaryData(bytes),
            Enum e => Convert.GetTypeCode(e) is TypeCode.Int64 or TypeCode.UInt32 or TypeCode.UInt64
                ? new BsonInt64(Convert.ToInt64(e, System.Globalization.CultureInfo.InvariantCulture))
                : new BsonInt32(Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture)),
            IEnumerable sequence => new BsonArray(sequence.Cast<object?>().Select(ToBson)),
            _ => throw new NotSupportedException($"Values of type '{value.GetType().Name}' cannot be stored in MongoDB by this store."),
        };

    public static object? FromBson(BsonValue value, Type type)
    {
        if (value.IsBsonNull)
        {
            return null;
        }

        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (ElementType(target) is { } element)
        {
            var items = value.AsBsonArray.Select(item => FromBson(item, element)).ToList();
            if (target.IsArray)
            {
                var array = Array.CreateInstance(element, items.Count);
                for (var i = 0; i < items.Count; i++)
                {
                    array.SetValue(items[i], i);
                }

                return array;
            }

            var list = (IList)Activator.CreateInstance(target)!;
            foreach (var item in items)
            {
                list.Add(item);
            }

            return list;
        }

        if (target.IsEnum)
        {
            return Enum.ToObject(target, value.IsInt64 ? value.AsInt64 : value.AsInt32);
        }

        return target switch
        {
            _ when target == typeof(bool) => value.AsBoolean,
            _ when target == typeof(short) => (short)value.AsInt32,
            _ when target == typeof(int) => value.AsInt32,
            _ when target == typeof(long) => value.IsInt32 ? value.AsInt32 : value.AsInt64,
            _ when target == typeof(float) => (float)value.AsDouble,
            _ when target == typeof(double) => value.AsDouble,
            _ when target == typeof(decimal) => value.AsDecimal,
            _ when target == typeof(string) => value.AsString,
            _ when target == typeof(Guid) => value.AsGuid,
            _ when target == typeof(ObjectId) => value.AsObjectId,
            _ when target == typeof(DateTime) => value.ToUniversalTime(),
            _ when target == typeof(DateTimeOffset) => new DateTimeOffset(value.ToUniversalTime()),
            _ when target == typeof(DateOnly) => DateOnly.FromDateTime(value.ToUniversalTime()),
            _ when target == typeof(TimeOnly) => new TimeOnly(value.AsInt64),
            _ when target == typeof(byte[]) => value.AsByteArray,
            _ => throw new NotSupportedException($"A MongoDB value cannot be read as a '{target.Name}'."),
        };
    }

    /// <summary>A vector as a BSON array of doubles, checked against the property's dimensions.</summary>
    public static BsonArray VectorToBson(object vector, string propertyName, int dimensions, object key)
    {
        var span = vector switch
        {
            ReadOnlyMemory<float> memory => memory,
            Embedding<float> embedding => embedding.Vector,
            float[] array => array,
            _ => throw new ArgumentException($"Vector property '{propertyName}' of the record with key '{key}' holds a '{vector.GetType().Name}'."),
        };
        if (span.Length != dimensions)
        {
            throw new ArgumentException(
                $"Vector property '{propertyName}' of the record with key '{key}' has {span.Length} dimensions; the collection expects {dimensions}.");
        }

        return DoubleArray(span.Span);
    }

    public static BsonArray DoubleArray(ReadOnlySpan<float> vector)
    {
        var array = new BsonArray(vector.Length);
        foreach (var x in vector)
        {
            if (!float.IsFinite(x))
            {
                throw new ArgumentException("A vector holds NaN or an infinity, which no distance can be computed on.");
            }

            array.Add(new BsonDouble(x));
        }

        return array;
    }

    public static object VectorFromBson(BsonValue value, Type type)
    {
        var floats = value.AsBsonArray.Select(x => (float)x.ToDouble()).ToArray();
        return type == typeof(float[]) ? floats
            : type == typeof(Embedding<float>) ? new Embedding<float>(floats)
            : new ReadOnlyMemory<float>(floats);
    }

    private static bool IsScalar(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsEnum)
        {
            return Enum.GetUnderlyingType(t) != typeof(ulong);
        }

        return t == typeof(bool) || t == typeof(short) || t == typeof(int) || t == typeof(long) || t == typeof(float) || t == typeof(double)
            || t == typeof(decimal) || t == typeof(string) || t == typeof(Guid) || t == typeof(ObjectId) || t == typeof(DateTime)
            || t == typeof(DateTimeOffset) || t == typeof(DateOnly) || t == typeof(TimeOnly);
    }
}
