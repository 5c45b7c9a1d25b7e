namespace AiAllin.SK.Testing.Conditional;

/// <summary>
/// Declares, on a test assembly or class, that its <see cref="ConformanceFactAttribute"/> and
/// <see cref="ConformanceTheoryAttribute"/> tests need the server named by an environment variable. Outside CI they are
/// skipped with the reason when it is not set; under <c>CI=true</c> they run (and fail clearly) unless
/// <see cref="RequiredInCi"/> is false.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class, AllowMultiple = true)]
public sealed class RequiresServerAttribute(string variable) : Attribute
{
    /// <summary>The environment variable that points at the server, e.g. <c>AIALLIN_POSTGRES_URL</c>.</summary>
    public string Variable { get; } = variable;

    /// <summary>Whether CI must provide the server (PostgreSQL, Redis) rather than skip (MongoDB).</summary>
    public bool RequiredInCi { get; init; } = true;
}
