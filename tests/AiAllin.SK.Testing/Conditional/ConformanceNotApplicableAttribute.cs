namespace AiAllin.SK.Testing.Conditional;

/// <summary>
/// On a class binding a shared conformance suite: the named <see cref="ConformanceFactAttribute"/> test does not apply to
/// this provider or store, and is reported as skipped with <paramref name="reason"/> (instead of passing without checking).
/// </summary>
/// <param name="testName">The test method's name.</param>
/// <param name="reason">Why the behaviour cannot occur with this provider, shown as the skip reason.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ConformanceNotApplicableAttribute(string testName, string reason) : Attribute
{
    /// <summary>Gets the test method's name.</summary>
    public string TestName { get; } = testName;

    /// <summary>Gets why the test does not apply.</summary>
    public string Reason { get; } = reason;
}
