using System.Linq.Expressions;
using System.Reflection;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// Reads the properties of a record type through delegates compiled once per collection, instead of MEVD's
/// reflection-based <see cref="PropertyModel.GetValueAsObject"/> on every property of every record. A float vector is
/// read without boxing. Only for record types whose every property is a readable CLR property (not for dynamic records):
/// such values have the declared type by construction.
/// </summary>
/// <typeparam name="TRecord">The record type.</typeparam>
internal sealed class RecordAccessors<TRecord>
    where TRecord : class
{
    private readonly Func<TRecord, object?> _key;
    private readonly Func<TRecord, object?>[] _data;
    private readonly Func<TRecord, object?>[] _vectors;
    private readonly Func<TRecord, ReadOnlyMemory<float>?>?[] _floatVectors;

    private RecordAccessors(CollectionModel model)
    {
        _key = Getter(model.KeyProperty);
        _data = [.. model.DataProperties.Select(Getter)];
        _vectors = [.. model.VectorProperties.Select(Getter)];
        _floatVectors = [.. model.VectorProperties.Select(FloatVectorGetter)];
    }

    /// <summary>The accessors of <paramref name="model"/>, or <see langword="null"/> when a property is not a readable CLR property.</summary>
    public static RecordAccessors<TRecord>? TryCreate(CollectionModel model)
        => model.Properties.All(p => CompiledGetter(p) is not null) ? new RecordAccessors<TRecord>(model) : null;

    public object? ReadKey(TRecord record) => _key(record);

    public object? ReadData(int index, TRecord record) => _data[index](record);

    public object? ReadVector(int index, TRecord record) => _vectors[index](record);

    /// <summary>Reads a float vector property without boxing, when the property is a CLR property of a float vector type.</summary>
    public bool TryReadFloatVector(int index, TRecord record, out ReadOnlyMemory<float>? vector)
    {
        if (_floatVectors[index] is { } getter)
        {
            vector = getter(record);
            return true;
        }

        vector = null;
        return false;
    }

    private static Func<TRecord, object?> Getter(PropertyModel property)
    {
        var (record, read) = CompiledGetter(property)!.Value;
        return Expression.Lambda<Func<TRecord, object?>>(Expression.Convert(read, typeof(object)), record).Compile();
    }

    private static Func<TRecord, ReadOnlyMemory<float>?>? FloatVectorGetter(VectorPropertyModel property)
    {
        if (CompiledGetter(property) is not { } body)
        {
            return null;
        }

        var type = body.Read.Type;
        Expression? vector =
            type == typeof(ReadOnlyMemory<float>) ? Expression.Convert(body.Read, typeof(ReadOnlyMemory<float>?))
            : type == typeof(ReadOnlyMemory<float>?) ? body.Read
            : type == typeof(float[]) ? Expression.Call(typeof(RecordAccessors<TRecord>).GetMethod(nameof(FromArray), BindingFlags.NonPublic | BindingFlags.Static)!, body.Read)
            : type == typeof(Embedding<float>) ? Expression.Call(typeof(RecordAccessors<TRecord>).GetMethod(nameof(FromEmbedding), BindingFlags.NonPublic | BindingFlags.Static)!, body.Read)
            : null;

        return vector is null ? null : Expression.Lambda<Func<TRecord, ReadOnlyMemory<float>?>>(vector, body.Parameter).Compile();
    }

    private static (ParameterExpression Parameter, Expression Read)? CompiledGetter(PropertyModel property)
    {
        if (property.PropertyInfo is not { GetMethod: not null } clrProperty
            || clrProperty.DeclaringType is not { } declaringType
            || !declaringType.IsAssignableFrom(typeof(TRecord)))
        {
            return null;
        }

        var record = Expression.Parameter(typeof(TRecord), "record");
        return (record, Expression.Property(record, clrProperty));
    }

    private static ReadOnlyMemory<float>? FromArray(float[]? array) => array is null ? null : new ReadOnlyMemory<float>(array);

    private static ReadOnlyMemory<float>? FromEmbedding(Embedding<float>? embedding) => embedding?.Vector;
}
