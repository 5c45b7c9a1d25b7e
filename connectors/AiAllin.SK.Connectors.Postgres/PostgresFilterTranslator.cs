using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using AiAllin.SK.Connectors.Core.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;
using Microsoft.Extensions.VectorData.ProviderServices.Filter;
using Npgsql;

namespace AiAllin.SK.Connectors.Postgres;

/// <summary>
/// Translates a LINQ filter into a parameterised SQL condition: every value becomes a positional parameter, every
/// column name comes from the model and is quoted. Comparisons keep LINQ's two-valued logic over nulls: a negation is
/// written <c>(x) IS NOT TRUE</c>, and <c>!=</c> is <c>IS DISTINCT FROM</c>, so a null column never flips a result.
/// </summary>
internal sealed class PostgresFilterTranslator(IReadOnlyDictionary<PropertyModel, PostgresColumn> columns, List<NpgsqlParameter> parameters)
    : VectorStoreFilterTranslator
{
    private readonly StringBuilder _sql = new();

    public string Translate(LambdaExpression filter, CollectionModel model)
    {
        var body = PreprocessFilter(filter, model, new FilterPreprocessingOptions());
        Predicate(body);
        return _sql.ToString();
    }

    private void Predicate(Expression node)
    {
        switch (node)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.OrElse } logical:
                _sql.Append('(');
                Predicate(logical.Left);
                _sql.Append(logical.NodeType == ExpressionType.AndAlso ? " AND " : " OR ");
                Predicate(logical.Right);
                _sql.Append(')');
                return;

            case UnaryExpression { NodeType: ExpressionType.Not } not:
                _sql.Append('(');
                Predicate(not.Operand);
                _sql.Append(") IS NOT TRUE");
                return;

            case ConstantExpression { Value: bool value }:
                _sql.Append(value ? "TRUE" : "FALSE");
                return;

            case UnaryExpression { NodeType: ExpressionType.Convert } convert when Nullable.GetUnderlyingType(convert.Type) == convert.Operand.Type:
                Predicate(convert.Operand);
                return;

            case Expression when node.Type == typeof(bool) && TryBindProperty(node, out var property):
                _sql.Append(Column(property).Quoted).Append(" IS TRUE");
                return;

            case BinaryExpression
            {
                NodeType: ExpressionType.Equal or ExpressionType.NotEqual or ExpressionType.LessThan
                    or ExpressionType.LessThanOrEqual or ExpressionType.GreaterThan or ExpressionType.GreaterThanOrEqual
            } comparison:
                Comparison(comparison);
                return;

            case MethodCallExpression call when TryMatchContains(call, out var source, out var item):
                Contains(source, item);
                return;

            // r => r.Tags.Any(t => values.Contains(t)): the arrays overlap.
            case MethodCallExpression { Method.Name: nameof(Enumerable.Any), Arguments: [var anySource, LambdaExpression { Body: MethodCallExpression body } lambda] } any
                when any.Method.DeclaringType == typeof(Enumerable)
                    && TryBindProperty(anySource, out var arrayProperty)
                    && TryMatchContains(body, out var values, out var element)
                    && element == lambda.Parameters[0]:
            {
                var column = Column(arrayProperty);
                _sql.Append(column.Quoted).Append(" && ").Append(Parameter(ArrayOf(Values(values, arrayProperty.Type))));
                return;
            }

            case MethodCallExpression call:
                throw new NotSupportedException(
                    $"The PostgreSQL vector store does not support the method '{call.Method.DeclaringType?.Name}.{call.Method.Name}' in filters.");

            default:
                throw new NotSupportedException($"The PostgreSQL vector store does not support the expression '{node}' in filters.");
        }
    }

    private void Comparison(BinaryExpression comparison)
    {
        var op = comparison.NodeType;
        var left = Operand(comparison.Left);
        var right = Operand(comparison.Right);

        if (left.Column is null && right.Column is null)
        {
            _sql.Append(EvaluateConstants(op, left.Value, right.Value) ? "TRUE" : "FALSE");
            return;
        }

        if (left.Column is null)
        {
            (left, right) = (right, left);
            op = Flip(op);
        }

        var column = left.Column!;
        if (right.Column is not null)
        {
            throw new NotSupportedException("Filters that compare two properties are not supported.");
        }

        var value = Coerce(right.Value, column.Property.Type);
        if (value is null)
        {
            _sql.Append(op switch
            {
                ExpressionType.Equal => $"{column.Quoted} IS NULL",
                ExpressionType.NotEqual => $"{column.Quoted} IS NOT NULL",
                _ => "FALSE",
            });
            return;
        }

        // Ordinal order, as string.CompareOrdinal and LINQ to Objects' equality have it.
        var collate = column.SqlType == "text" && op is not (ExpressionType.Equal or ExpressionType.NotEqual) ? " COLLATE \"C\"" : string.Empty;
        var sqlOperator = op switch
        {
            ExpressionType.Equal => "=",
            ExpressionType.NotEqual => "IS DISTINCT FROM",
            ExpressionType.LessThan => "<",
            ExpressionType.LessThanOrEqual => "<=",
            ExpressionType.GreaterThan => ">",
            _ => ">=",
        };
        _sql.Append(column.Quoted).Append(collate).Append(' ').Append(sqlOperator).Append(' ').Append(Parameter(value));
    }

    private void Contains(Expression source, Expression item)
    {
        // An array property that contains a value: r => r.Tags.Contains("x"), served by a GIN index.
        if (TryBindProperty(source, out var property))
        {
            var column = Column(property);
            var value = Operand(item);
            if (value.Column is not null)
            {
                throw new NotSupportedException("Contains over an array property needs a value to look for, not another property.");
            }

            var element = Coerce(value.Value, property.Type);
            if (element is null)
            {
                _sql.Append("array_position(").Append(column.Quoted).Append(", NULL) IS NOT NULL");
                return;
            }

            _sql.Append(column.Quoted).Append(" @> ").Append(Parameter(ArrayOf([element])));
            return;
        }

        // A property whose value is in a given set: r => ids.Contains(r.Id).
        var candidate = Operand(item);
        if (candidate.Column is not { } itemColumn)
        {
            throw new NotSupportedException("Contains in filters must be over an array property or over a set of values that holds a property.");
        }

        var values = Values(source, candidate.Column.Property.Type);
        var nonNull = values.Where(v => v is not null).ToList();
        _sql.Append('(').Append(itemColumn.Quoted).Append(" = ANY(").Append(Parameter(ArrayOf(nonNull))).Append(')');
        if (nonNull.Count != values.Count)
        {
            _sql.Append(" OR ").Append(itemColumn.Quoted).Append(" IS NULL");
        }

        _sql.Append(')');
    }

    private List<object?> Values(Expression source, Type propertyType)
    {
        var elements = source switch
        {
            NewArrayExpression array => array.Expressions.Select(e => Operand(e) is { Column: null } c
                ? c.Value
                : throw new NotSupportedException("The elements of an inline array in a filter must be values.")),
            ConstantExpression { Value: IEnumerable enumerable and not string } => enumerable.Cast<object?>(),
            _ => throw new NotSupportedException("Contains in filters must be over an array property or over a set of values that holds a property."),
        };
        return elements.Select(e => Coerce(e, propertyType)).ToList();
    }

    /// <summary>A typed array for an <c>ANY</c> or <c>@&gt;</c> parameter, so PostgreSQL sees e.g. <c>bigint[]</c>, not a mix.</summary>
    private static Array ArrayOf(List<object?> values)
    {
        var type = values.FirstOrDefault(v => v is not null)?.GetType() ?? typeof(string);
        var array = Array.CreateInstance(type, values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            array.SetValue(values[i], i);
        }

        return array;
    }

    private string Parameter(object value)
    {
        parameters.Add(new NpgsqlParameter { Value = value });
        return "$" + parameters.Count.ToString(CultureInfo.InvariantCulture);
    }

    private OperandValue Operand(Expression expression)
    {
        var (property, value) = BindOperand(expression, "PostgreSQL");
        return property is null ? new(null, value) : new(Column(property), null);
    }

    private PostgresColumn Column(PropertyModel property)
        => columns.TryGetValue(property, out var column) && !column.IsVector && !column.IsJson
            ? column
            : throw new NotSupportedException($"Property '{property.ModelName}' cannot be used in a filter (vector and JSON properties cannot).");

    /// <summary>Brings a value to the column's CLR type (9 for a long column becomes 9L), so the parameter has the column's SQL type.</summary>
    private static object? Coerce(object? value, Type propertyType)
    {
        // An enum column holds the enum's integer; C# compares enums as integers, so both enum values and ints arrive here.
        var target = ComparedType(propertyType);
        if (target.IsEnum)
        {
            target = PostgresColumn.EnumStorageType(target) ?? target;
        }

        return PostgresColumn.ToDatabase(ConvertConstant(value, target));
    }

    private readonly record struct OperandValue(PostgresColumn? Column, object? Value);
}
