using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using Microsoft.Extensions.VectorData.ProviderServices;
using Microsoft.Extensions.VectorData.ProviderServices.Filter;

namespace AiAllin.SK.Connectors.Core.VectorData;

/// <summary>
/// What the filter translators of the pack's vector stores share on top of MEVD's <see cref="FilterTranslatorBase"/>:
/// flipping a comparison whose constant is on the left, evaluating a comparison of two constants as LINQ to Objects
/// would, and bringing a constant to the type a property is compared as.
/// </summary>
public abstract class VectorStoreFilterTranslator : FilterTranslatorBase
{
    /// <summary>The comparison with its operands swapped: <c>3 &gt; x</c> is <c>x &lt; 3</c>.</summary>
    /// <param name="op">The comparison.</param>
    /// <returns>The flipped comparison (equality is its own flip).</returns>
    protected static ExpressionType Flip(ExpressionType op) => op switch
    {
        ExpressionType.LessThan => ExpressionType.GreaterThan,
        ExpressionType.LessThanOrEqual => ExpressionType.GreaterThanOrEqual,
        ExpressionType.GreaterThan => ExpressionType.LessThan,
        ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
        _ => op,
    };

    /// <summary>
    /// Evaluates a comparison of two constants: strings in ordinal order, sequences by their elements, and an ordering
    /// comparison with a null operand false, as LINQ to Objects has it.
    /// </summary>
    /// <param name="op">The comparison.</param>
    /// <param name="left">The left constant.</param>
    /// <param name="right">The right constant.</param>
    /// <returns>The result.</returns>
    protected static bool EvaluateConstants(ExpressionType op, object? left, object? right)
    {
        if (op is ExpressionType.Equal or ExpressionType.NotEqual)
        {
            var equal = left is IEnumerable leftItems and not string && right is IEnumerable rightItems and not string
                ? leftItems.Cast<object?>().SequenceEqual(rightItems.Cast<object?>())
                : Equals(left, right);
            return equal == (op == ExpressionType.Equal);
        }

        if (left is null || right is null)
        {
            return false;
        }

        var order = left is string l && right is string r ? string.CompareOrdinal(l, r) : Comparer<object>.Default.Compare(left, right);
        return op switch
        {
            ExpressionType.LessThan => order < 0,
            ExpressionType.LessThanOrEqual => order <= 0,
            ExpressionType.GreaterThan => order > 0,
            _ => order >= 0,
        };
    }

    /// <summary>The type a property's values are compared as: the element type of an array or <see cref="List{T}"/> (not <c>byte[]</c>), without <see cref="Nullable{T}"/>.</summary>
    /// <param name="propertyType">The property's type.</param>
    /// <returns>The compared type.</returns>
    protected static Type ComparedType(Type propertyType)
    {
        ArgumentNullException.ThrowIfNull(propertyType);
        var target = Nullable.GetUnderlyingType(propertyType) ?? propertyType;
        if (target.IsArray && target != typeof(byte[]))
        {
            target = target.GetElementType()!;
        }
        else if (target.IsGenericType && target.GetGenericTypeDefinition() == typeof(List<>))
        {
            target = target.GetGenericArguments()[0];
        }

        return Nullable.GetUnderlyingType(target) ?? target;
    }

    /// <summary>
    /// Brings a constant to <paramref name="target"/>: 9 for a <see cref="long"/> becomes 9L, and an integer for an enum
    /// (expression trees compare enums through their underlying integer) becomes the enum value. A value that cannot be
    /// converted is returned as it is, for the store to compare (or reject) as such.
    /// </summary>
    /// <param name="value">The constant.</param>
    /// <param name="target">The type to bring it to (see <see cref="ComparedType"/>).</param>
    /// <returns>The converted constant.</returns>
    protected static object? ConvertConstant(object? value, Type target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (value is null || value.GetType() == target || value is not IConvertible)
        {
            return value;
        }

        if (target.IsEnum)
        {
            return value.GetType().IsPrimitive ? Enum.ToObject(target, value) : value;
        }

        if (!target.IsPrimitive && target != typeof(decimal))
        {
            return value;
        }

        try
        {
            return Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException)
        {
            return value;
        }
    }

    /// <summary>
    /// Binds one operand of a comparison: a property of the record, or a constant (a literal or a captured variable),
    /// looking through the conversions C# inserts (an enum compared as its integer: the stored value is that integer,
    /// so the property is compared as it is).
    /// </summary>
    /// <param name="expression">The operand.</param>
    /// <param name="storeName">The store's name for the error message, for example <c>PostgreSQL</c>.</param>
    /// <returns>The bound property (value unset), or the constant (property <see langword="null"/>).</returns>
    /// <exception cref="InvalidOperationException">A dynamic record names a property the definition does not have.</exception>
    /// <exception cref="NotSupportedException">The operand is neither a property nor a constant.</exception>
    protected (PropertyModel? Property, object? Value) BindOperand(Expression expression, string storeName)
    {
        ArgumentNullException.ThrowIfNull(expression);
        switch (expression)
        {
            case ConstantExpression constant:
                return (null, constant.Value);

            case QueryParameterExpression parameter:
                return (null, parameter.Value);

            case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert
                when (Nullable.GetUnderlyingType(convert.Operand.Type) ?? convert.Operand.Type).IsEnum:
                return BindOperand(convert.Operand, storeName);

            case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert when !TryBindProperty(convert, out _):
                return BindOperand(convert.Operand, storeName);

            case Expression when TryBindProperty(expression, out var property):
                return (property, null);

            case MethodCallExpression { Method.Name: "get_Item", Arguments: [ConstantExpression { Value: string name }] } call
                when call.Object is ParameterExpression:
                throw new InvalidOperationException($"Property '{name}' is not part of the collection's record definition.");

            default:
                throw new NotSupportedException($"The {storeName} vector store does not support the expression '{expression}' in filters.");
        }
    }
}
