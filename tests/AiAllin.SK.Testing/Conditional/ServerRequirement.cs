using System.Reflection;
using AiAllin.SK.Testing.Servers;
using Xunit.Abstractions;

namespace AiAllin.SK.Testing.Conditional;

/// <summary>
/// Finds why a test must be skipped: a <see cref="ConformanceNotApplicableAttribute"/> naming it, or a
/// <see cref="RequiresServerAttribute"/> whose server is not configured.
/// </summary>
internal static class ServerRequirement
{
    public static string? SkipReason(ITestMethod testMethod)
    {
        var type = testMethod.TestClass.Class.ToRuntimeType();
        IEnumerable<RequiresServerAttribute> requirements = type.Assembly.GetCustomAttributes<RequiresServerAttribute>();
        for (var t = type; t is not null; t = t.DeclaringType)
        {
            requirements = requirements.Concat(t.GetCustomAttributes<RequiresServerAttribute>(inherit: true));
        }

        var notApplicable = type.GetCustomAttributes<ConformanceNotApplicableAttribute>(inherit: true)
            .FirstOrDefault(a => a.TestName == testMethod.Method.Name);
        return notApplicable is not null
            ? "Not applicable: " + notApplicable.Reason
            : requirements
                .Select(r => TestServers.SkipReason(r.Variable, r.RequiredInCi))
                .FirstOrDefault(reason => reason is not null);
    }
}
