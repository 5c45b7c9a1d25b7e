using Xunit;
using Xunit.Sdk;

namespace AiAllin.SK.Testing.Conditional;

/// <summary>The theory form of <see cref="ConformanceFactAttribute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("AiAllin.SK.Testing.Conditional.ConformanceTheoryDiscoverer", "AiAllin.SK.Testing")]
public sealed class ConformanceTheoryAttribute : TheoryAttribute;
