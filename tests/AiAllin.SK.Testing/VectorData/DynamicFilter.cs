using System.Linq.Expressions;
using System.Reflection;

namespace AiAllin.SK.Testing.VectorData;

/// <summary>
/// Rewrites a filter over a typed record into the same filter over a dynamic record, turning each
/// <c>r.Property</c> into <c>(T)r["Property"]</c>, the shape users write against dynamic collections.
/// </summary>
public static class DynamicFilter
{
    private static readonly MethodInfo Indexer = typeof(Dictionary<string, object?>).GetProperty("Item")!.GetMethod!;

    /// <summary>Converts <paramref name="filter"/> to a filter over <see cref="Dictionary{TKey, TValue}"/> records.</summary>
    public static Expression<Func<Dictionary<string, object?>, bool>> From<TRecord>(Expression<Func<TRecord, bool>> filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parameter = Expression.Parameter(typeof(Dictionary<string, object?>), "r");
        var body = new Rewriter(filter.Parameters[0], parameter).Visit(filter.Body);
        return Expression.Lambda<Func<Dictionary<string, object?>, bool>>(body, parameter);
    }

    /// <summary>Converts a property selector (for ordering) to one over dynamic records.</summary>
    public static Expression<Func<Dictionary<string, object?>, object?>> Selector<TRecord>(Expression<Func<TRecord, object?>> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var body = selector.Body is UnaryExpression { NodeType: ExpressionType.Convert } convert ? convert.Operand : selector.Body;
        var member = body as MemberExpression ?? throw new ArgumentException("The selector must read one property.", nameof(selector));
        var parameter = Expression.Parameter(typeof(Dictionary<string, object?>), "r");
        return Expression.Lambda<Func<Dictionary<string, object?>, object?>>(
            Expression.Call(parameter, Indexer, Expression.Constant(member.Member.Name)), parameter);
    }

    private sealed class Rewriter(ParameterExpression typed, ParameterExpression dynamic) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node)
            => node.Expression == typed
                ? Expression.Convert(Expression.Call(dynamic, Indexer, Expression.Constant(node.Member.Name)), node.Type)
                : base.VisitMember(node);
    }
}
