using System.Collections;
using System.Linq.Expressions;
using AiAllin.SK.Connectors.Core.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;
using Microsoft.Extensions.VectorData.ProviderServices.Filter;

namespace AiAllin.SK.Connectors.InMemory;

/// <summary>
/// Translates a LINQ filter once per query into a tree of closures over the stored columns, evaluated per slot.
/// Nothing is compiled with <c>Expression.Compile</c> and nothing allocates per row.
/// </summary>
internal sealed class InMemoryFilterTranslator(Func<PropertyModel, object?[]> columnOf) : VectorStoreFilterTranslator
{
    public Func<int, bool> Translate(LambdaExpression filter, CollectionModel model)
    {
        var body = PreprocessFilter(filter, model, new FilterPreprocessingOptions());
        return TranslatePredicate(body);
    }

    private Func<int, bool> TranslatePredicate(Expression node)
    {
        switch (node)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso } and:
            {
                var left = TranslatePredicate(and.Left);
                var right = TranslatePredicate(and.Right);
                return slot => left(slot) && right(slot);
            }

            case BinaryExpression { NodeType: ExpressionType.OrElse } or:
            {
                var left = TranslatePredicate(or.Left);
                var right = TranslatePredicate(or.Right);
                return slot => left(slot) || right(slot);
            }

            case UnaryExpression { NodeType: ExpressionType.Not } not:
            {
                var operand = TranslatePredicate(not.Operand);
                return slot => !operand(slot);
            }

            case ConstantExpression { Value: bool value }:
                return _ => value;

            case Expression when node.Type == typeof(bool) && TryBindProperty(node, out var property):
            {
                var column = columnOf(property);
                return slot => column[slot] is true;
            }

            case UnaryExpression { NodeType: ExpressionType.Convert } convert when Nullable.GetUnderlyingType(convert.Type) == convert.Operand.Type:
                return TranslatePredicate(convert.Operand);

            case BinaryExpression
            {
                NodeType: ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan
                    or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual
            } comparison:
                return TranslateComparison(comparison);

            case MethodCallExpression call when TryMatchContains(call, out var source, out var item):
                return TranslateContains(source, item);

            // r => r.Tags.Any(t => values.Contains(t))
            case MethodCallExpression { Method.Name: nameof(Enumerable.Any), Arguments: [var anySource, LambdaExpression { Body: MethodCallExpression body } lambda] } any
                when any.Method.DeclaringType == typeof(Enumerable)
                    && TryBindProperty(anySource, out var collectionProperty)
                    && TryMatchContains(body, out var values, out var element)
                    && element == lambda.Parameters[0]:
            {
                var column = columnOf(collectionProperty);
                var set = ToSet(values, collectionProperty.Type, out var containsNull);
                return slot => column[slot] is IEnumerable items && AnyIn(items, set, containsNull);
            }

            case MethodCallExpression call:
                throw new NotSupportedException(
                    $"The in-memory vector store does not support the method '{call.Method.DeclaringType?.Name}.{call.Method.Name}' in filters.");

            default:
                throw new NotSupportedException($"The in-memory vector store does not support the expression '{node}' in filters.");
        }
    }

    private Func<int, bool> TranslateComparison(BinaryExpression comparison)
    {
        var op = comparison.NodeType;
        var left = TranslateOperand(comparison.Left);
        var right = TranslateOperand(comparison.Right);

        if (left.Column is null && right.Column is null)
        {
            var result = EvaluateConstants(op, left.Value, right.Value);
            return _ => result;
        }

        if (left.Column is null)
        {
            (left, right) = (right, left);
            op = Flip(op);
        }

        var column = left.Column!;
        if (right.Column is { } other)
        {
            return slot => EvaluateConstants(op, column[slot], other[slot]);
        }

        var value = Coerce(right.Value, left.Property!.Type);
        return value switch
        {
            null when op == ExpressionType.Equal => slot => column[slot] is null,
            null when op == ExpressionType.NotEqual => slot => column[slot] is not null,
            null => _ => false,
            int v => Typed(column, v, op),
            long v => Typed(column, v, op),
            double v => Typed(column, v, op),
            float v => Typed(column, v, op),
            decimal v => Typed(column, v, op),
            bool v => Typed(column, v, op),
            Guid v => Typed(column, v, op),
            DateTime v => Typed(column, v, op),
            DateTimeOffset v => Typed(column, v, op),
            DateOnly v => Typed(column, v, op),
            string v => Typed(column, v, op),
            _ => slot => EvaluateConstants(op, column[slot], value),
        };
    }

    private Func<int, bool> TranslateContains(Expression source, Expression item)
    {
        // A collection property that contains a value: r => r.Tags.Contains("x")
        if (TryBindProperty(source, out var property))
        {
            var column = columnOf(property);
            var value = TranslateOperand(item);
            if (value.Column is not null)
            {
                throw new NotSupportedException("Contains over a collection property needs a constant value to look for.");
            }

            return value.Value switch
            {
                string s => slot => column[slot] switch
                {
                    string[] array => Array.IndexOf(array, s) >= 0,
                    List<string> list => list.Contains(s),
                    _ => false,
                },
                var v => slot => column[slot] is IEnumerable values && ContainsValue(values, v),
            };
        }

        // A property whose value is in a given set: r => ids.Contains(r.Id)
        var candidate = TranslateOperand(item);
        if (candidate.Column is not { } itemColumn)
        {
            throw new NotSupportedException("Contains in filters must be over a collection property or over a set of values that holds a property.");
        }

        var set = ToSet(source, candidate.Property!.Type, out var containsNull);
        return slot => itemColumn[slot] is { } v ? set.Contains(v) : containsNull;
    }

    /// <summary>The constant values of an inline array or captured collection, brought to the stored type of the property.</summary>
    private HashSet<object> ToSet(Expression source, Type propertyType, out bool containsNull)
    {
        var elements = source switch
        {
            NewArrayExpression array => array.Expressions.Select(e => TranslateOperand(e) is { Column: null } c
                ? c.Value
                : throw new NotSupportedException("The elements of an inline array in a filter must be constants.")),
            ConstantExpression { Value: IEnumerable enumerable and not string } => enumerable.Cast<object?>(),
            _ => throw new NotSupportedException("Contains in filters must be over a collection property or over a set of values that holds a property."),
        };

        var set = new HashSet<object>();
        containsNull = false;
        foreach (var element in elements)
        {
            if (Coerce(element, propertyType) is { } coerced)
            {
                set.Add(coerced);
            }
            else
            {
                containsNull = true;
            }
        }

        return set;
    }

    private static bool AnyIn(IEnumerable items, HashSet<object> set, bool containsNull)
    {
        foreach (var item in items)
        {
            if (item is null ? containsNull : set.Contains(item))
            {
                return true;
            }
        }

        return false;
    }

    private Operand TranslateOperand(Expression expression)
    {
        switch (expression)
        {
            case ConstantExpression constant:
                return new(null, null, constant.Value);

            // C# compares enums through their underlying integer type; the column holds the enum values themselves.
            case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert
                when (Nullable.GetUnderlyingType(convert.Operand.Type) ?? convert.Operand.Type) is { IsEnum: true } enumType
                    && (Nullable.GetUnderlyingType(convert.Type) ?? convert.Type) == Enum.GetUnderlyingType(enumType):
                return TranslateOperand(convert.Operand);

            case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert
                when !TryBindProperty(convert, out _):
                return TranslateOperand(convert.Operand);

            case Expression when TryBindProperty(expression, out var property):
                return new(property, columnOf(property), null);

            case MethodCallExpression { Method.Name: "get_Item", Arguments: [ConstantExpression { Value: string name }] } call
                when call.Object is ParameterExpression:
                throw new InvalidOperationException($"Property '{name}' is not part of the collection's record definition.");

            default:
                throw new NotSupportedException($"The in-memory vector store does not support the expression '{expression}' in filters.");
        }
    }

    private static Func<int, bool> Typed<T>(object?[] column, T value, ExpressionType op)
        where T : IComparable<T>, IEquatable<T>
        => op switch
        {
            ExpressionType.Equal => slot => column[slot] is T v && v.Equals(value),
            ExpressionType.NotEqual => slot => !(column[slot] is T v && v.Equals(value)),
            ExpressionType.LessThan => slot => column[slot] is T v && Order(v, value) < 0,
            ExpressionType.LessThanOrEqual => slot => column[slot] is T v && Order(v, value) <= 0,
            ExpressionType.GreaterThan => slot => column[slot] is T v && Order(v, value) > 0,
            ExpressionType.GreaterThanOrEqual => slot => column[slot] is T v && Order(v, value) >= 0,
            _ => throw new NotSupportedException($"Comparison '{op}' is not supported in filters."),
        };

    private static int Order<T>(T left, T right)
        where T : IComparable<T>
        => left is string l && right is string r ? string.CompareOrdinal(l, r) : left.CompareTo(right);

    private static bool ContainsValue(IEnumerable values, object? value)
    {
        foreach (var element in values)
        {
            if (Equals(element, value))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Brings a constant to the stored type of the property (8 for a long property becomes 8L), so equality holds.</summary>
    private static object? Coerce(object? value, Type propertyType) => ConvertConstant(value, ComparedType(propertyType));

    private readonly record struct Operand(PropertyModel? Property, object?[]? Column, object? Value);
}
