using System.Linq.Expressions;
using System.Reflection;

namespace AiAllin.SK.Plugins.Memory;

/// <summary>
/// Builds the store filters. Every filter starts from the scope, so no query the memory sends can reach another
/// scope's records; caller values only ever become constants compared for equality, never filter syntax.
/// </summary>
internal static class MemoryQueries
{
    private static readonly ParameterExpression Record = Expression.Parameter(typeof(MemoryRecord), "r");

    private static readonly MethodInfo ContainsMethod = typeof(Enumerable).GetMethods()
        .Single(m => m.Name == nameof(Enumerable.Contains) && m.GetParameters().Length == 2)
        .MakeGenericMethod(typeof(string));

    /// <summary>Scope and not expired.</summary>
    public static Expression<Func<MemoryRecord, bool>> Visible(MemoryScope scope, DateTimeOffset now) =>
        Lambda(VisibleBody(scope, now));

    /// <summary>Scope, not expired, and the search's metadata, source and trust conditions.</summary>
    public static Expression<Func<MemoryRecord, bool>> Search(MemoryScope scope, DateTimeOffset now, MemorySearchOptions options) =>
        Lambda(SearchBody(scope, now, options));

    /// <summary>Search conditions plus at least one of <paramref name="terms"/>.</summary>
    public static Expression<Func<MemoryRecord, bool>> Keyword(MemoryScope scope, DateTimeOffset now, MemorySearchOptions options, IReadOnlyList<string> terms)
    {
        Expression? any = null;
        foreach (var term in terms)
        {
            var contains = ArrayContains(nameof(MemoryRecord.Terms), term);
            any = any is null ? contains : Expression.OrElse(any, contains);
        }

        return Lambda(Expression.AndAlso(SearchBody(scope, now, options), any ?? Expression.Constant(false)));
    }

    /// <summary>Scope, not expired, and the memory or the document with id <paramref name="id"/>.</summary>
    public static Expression<Func<MemoryRecord, bool>> ById(MemoryScope scope, DateTimeOffset now, string id) =>
        Lambda(Expression.AndAlso(
            VisibleBody(scope, now),
            Expression.OrElse(Equal(nameof(MemoryRecord.Key), id), Equal(nameof(MemoryRecord.DocumentId), id))));

    /// <summary>Scope only (expired records included), for deletes.</summary>
    public static Expression<Func<MemoryRecord, bool>> Owned(MemoryScope scope) => Lambda(ScopeBody(scope));

    /// <summary>Scope only, with the memory or the document with id <paramref name="id"/>, for deletes.</summary>
    public static Expression<Func<MemoryRecord, bool>> OwnedById(MemoryScope scope, string id) =>
        Lambda(Expression.AndAlso(
            ScopeBody(scope),
            Expression.OrElse(Equal(nameof(MemoryRecord.Key), id), Equal(nameof(MemoryRecord.DocumentId), id))));

    private static BinaryExpression SearchBody(MemoryScope scope, DateTimeOffset now, MemorySearchOptions options)
    {
        var body = VisibleBody(scope, now);
        foreach (var (key, value) in options.Metadata)
        {
            body = Expression.AndAlso(body, ArrayContains(nameof(MemoryRecord.Metadata), MemoryMetadata.Entry(key, value)));
        }

        if (options.Source is { } source)
        {
            body = Expression.AndAlso(body, Equal(nameof(MemoryRecord.Source), source));
        }

        if (options.Filter is { } filter)
        {
            body = Expression.AndAlso(body, new ParameterReplacer(filter.Parameters[0], Record).Visit(filter.Body));
        }

        if (options.TrustedOnly)
        {
            body = Expression.AndAlso(body, Expression.Equal(Member(nameof(MemoryRecord.Trusted)), Expression.Constant(true)));
        }

        return body;
    }

    private static BinaryExpression VisibleBody(MemoryScope scope, DateTimeOffset now)
    {
        var expiresAt = Member(nameof(MemoryRecord.ExpiresAt));
        var notExpired = Expression.OrElse(
            Expression.Equal(expiresAt, Expression.Constant(null, typeof(DateTimeOffset?))),
            Expression.GreaterThan(expiresAt, Expression.Constant(now, typeof(DateTimeOffset?))));
        return Expression.AndAlso(ScopeBody(scope), notExpired);
    }

    private static BinaryExpression ScopeBody(MemoryScope scope) => Equal(nameof(MemoryRecord.ScopeKey), scope.Key);

    private static BinaryExpression Equal(string property, string value) =>
        Expression.Equal(Member(property), Expression.Constant(value, typeof(string)));

    private static MethodCallExpression ArrayContains(string property, string value) =>
        Expression.Call(ContainsMethod, Member(property), Expression.Constant(value, typeof(string)));

    private static MemberExpression Member(string property) => Expression.Property(Record, property);

    private static Expression<Func<MemoryRecord, bool>> Lambda(Expression body) =>
        Expression.Lambda<Func<MemoryRecord, bool>>(body, Record);

    private sealed class ParameterReplacer(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
