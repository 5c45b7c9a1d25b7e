using System.Collections;
using System.Linq.Expressions;
using AiAllin.SK.Connectors.Core.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;
using Microsoft.Extensions.VectorData.ProviderServices.Filter;
using MongoDB.Bson;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// Translates a LINQ filter into a MongoDB query document. Field names come only from the model (validated when it is
/// built); every constant becomes a BSON value under an explicit operator (<c>{ field: { $eq: value } }</c>), so a
/// user's string, even <c>"$where"</c> or <c>{ "$gt": "" }</c> as text, is compared literally and never read as an operator.
/// LINQ's two-valued logic over nulls holds: MongoDB's <c>$ne</c> and <c>$nor</c> match null and missing fields, and its
/// range operators never match null, as LINQ to Objects has it.
/// </summary>
internal sealed class MongoFilterTranslator : VectorStoreFilterTranslator
{
    /// <summary>A condition no document meets, in a form <c>$vectorSearch</c>'s pre-filter accepts too.</summary>
    internal static readonly BsonDocument MatchNothing = new("_id", new BsonDocument("$in", new BsonArray()));

    private static readonly HashSet<string> PreFilterOperators = ["$and", "$or", "$nor", "$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin"];

    private readonly Func<PropertyModel, string> _fieldOf;

    public MongoFilterTranslator(Func<PropertyModel, string> fieldOf) => _fieldOf = fieldOf;

    public BsonDocument Translate(LambdaExpression filter, CollectionModel model)
    {
        var body = PreprocessFilter(filter, model, new FilterPreprocessingOptions());
        return Predicate(body);
    }

    /// <summary>
    /// Checks that a translated filter uses only the operators <c>$vectorSearch</c> accepts in its <c>filter</c> (the
    /// fields must also be indexed as <c>filter</c> fields of the vector index, which the store does for indexed data properties).
    /// </summary>
    public static void EnsurePreFilterable(BsonDocument filter)
    {
        foreach (var element in filter)
        {
            if (element.Name.StartsWith('$') && !PreFilterOperators.Contains(element.Name))
            {
                throw new NotSupportedException(
                    $"This filter needs the operator '{element.Name}', which $vectorSearch does not accept as a pre-filter. " +
                    "Search this collection with the exact-scan pipeline (MongoCollectionOptions.VectorSearchMode = ExactScan), or simplify the filter.");
            }

            switch (element.Value)
            {
                case BsonDocument document:
                    EnsurePreFilterable(document);
                    break;
                case BsonArray array:
                    foreach (var item in array.OfType<BsonDocument>())
                    {
                        EnsurePreFilterable(item);
                    }

                    break;
            }
        }
    }

    private BsonDocument Predicate(Expression node)
    {
        switch (node)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.OrElse } logical:
                return new BsonDocument(logical.NodeType == ExpressionType.AndAlso ? "$and" : "$or", new BsonArray { Predicate(logical.Left), Predicate(logical.Right) });

            case UnaryExpression { NodeType: ExpressionType.Not } not:
                return new BsonDocument("$nor", new BsonArray { Predicate(not.Operand) });

            case ConstantExpression { Value: bool value }:
                return value ? [] : MatchNothing.DeepClone().AsBsonDocument;

            case UnaryExpression { NodeType: ExpressionType.Convert } convert when Nullable.GetUnderlyingType(convert.Type) == convert.Operand.Type:
                return Predicate(convert.Operand);

            case Expression when node.Type == typeof(bool) && TryBindProperty(node, out var property):
                return Condition(Field(property), "$eq", BsonBoolean.True);

            case BinaryExpression
            {
                NodeType: ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan
                    or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual
            } comparison:
                return Comparison(comparison);

            case MethodCallExpression call when TryMatchContains(call, out var source, out var item):
                return Contains(source, item);

            // r => r.Tags.Any(t => values.Contains(t)): an array field with any element in the set.
            case MethodCallExpression { Method.Name: nameof(Enumerable.Any), Arguments: [var anySource, LambdaExpression { Body: MethodCallExpression body } lambda] } any
                when any.Method.DeclaringType == typeof(Enumerable)
                    && TryBindProperty(anySource, out var arrayProperty)
                    && TryMatchContains(body, out var values, out var element)
                    && element == lambda.Parameters[0]:
                return Condition(Field(arrayProperty), "$in", new BsonArray(Values(values, arrayProperty.Type).Select(MongoValues.ToBson)));

            case MethodCallExpression call:
                throw new NotSupportedException(
                    $"The MongoDB vector store does not support the method '{call.Method.DeclaringType?.Name}.{call.Method.Name}' in filters.");

            default:
                throw new NotSupportedException($"The MongoDB vector store does not support the expression '{node}' in filters.");
        }
    }

    private BsonDocument Comparison(BinaryExpression comparison)
    {
        var op = comparison.NodeType;
        var left = Operand(comparison.Left);
        var right = Operand(comparison.Right);

        if (left.Property is null && right.Property is null)
        {
            return EvaluateConstants(op, left.Value, right.Value) ? [] : MatchNothing.DeepClone().AsBsonDocument;
        }

        if (left.Property is null)
        {
            (left, right) = (right, left);
            op = Flip(op);
        }

        if (right.Property is not null)
        {
            throw new NotSupportedException("Filters that compare two properties are not supported.");
        }

        var property = left.Property!;
        var value = Coerce(right.Value, property.Type);
        if (value is null && op is not (ExpressionType.Equal or ExpressionType.NotEqual))
        {
            return MatchNothing.DeepClone().AsBsonDocument;
        }

        var mongoOperator = op switch
        {
            ExpressionType.Equal => "$eq",
            ExpressionType.NotEqual => "$ne",
            ExpressionType.LessThan => "$lt",
            ExpressionType.LessThanOrEqual => "$lte",
            ExpressionType.GreaterThan => "$gt",
            _ => "$gte",
        };
        return Condition(Field(property), mongoOperator, MongoValues.ToBson(value));
    }

    private BsonDocument Contains(Expression source, Expression item)
    {
        // An array property that holds a value: r => r.Tags.Contains("x"). $eq on an array field matches an element.
        if (TryBindProperty(source, out var property))
        {
            var value = Operand(item);
            if (value.Property is not null)
            {
                throw new NotSupportedException("Contains over an array property needs a value to look for, not another property.");
            }

            var element = Coerce(value.Value, property.Type);
            return element is null
                ? Condition(Field(property), "$elemMatch", new BsonDocument("$eq", BsonNull.Value))
                : Condition(Field(property), "$eq", MongoValues.ToBson(element));
        }

        // A property whose value is in a given set: r => ids.Contains(r.Id).
        var candidate = Operand(item);
        if (candidate.Property is not { } itemProperty)
        {
            throw new NotSupportedException("Contains in filters must be over an array property or over a set of values that holds a property.");
        }

        return Condition(Field(itemProperty), "$in", new BsonArray(Values(source, itemProperty.Type).Select(MongoValues.ToBson)));
    }

    private static BsonDocument Condition(string field, string mongoOperator, BsonValue value)
        => new(field, new BsonDocument(mongoOperator, value));

    private List<object?> Values(Expression source, Type propertyType)
    {
        var elements = source switch
        {
            NewArrayExpression array => array.Expressions.Select(e => Operand(e) is { Property: null } c
                ? c.Value
                : throw new NotSupportedException("The elements of an inline array in a filter must be values.")),
            ConstantExpression { Value: IEnumerable enumerable and not string } => enumerable.Cast<object?>(),
            QueryParameterExpression { Value: IEnumerable enumerable and not string } => enumerable.Cast<object?>(),
            _ => throw new NotSupportedException("Contains in filters must be over an array property or over a set of values that holds a property."),
        };
        return elements.Select(e => Coerce(e, propertyType)).ToList();
    }

    private OperandValue Operand(Expression expression)
    {
        var (property, value) = BindOperand(expression, "MongoDB");
        return new(property, value);
    }

    private string Field(PropertyModel property)
        => property is VectorPropertyModel
            ? throw new NotSupportedException($"Vector property '{property.ModelName}' cannot be used in a filter.")
            : _fieldOf(property);

    /// <summary>Brings a constant to the property's CLR type (9 for a long field becomes 9L), so its BSON type is the stored one.</summary>
    private static object? Coerce(object? value, Type propertyType) => ConvertConstant(value, ComparedType(propertyType));

    private readonly record struct OperandValue(PropertyModel? Property, object? Value);
}
