using Xunit;
using Xunit.Sdk;

namespace AiAllin.SK.Testing.Conditional;

/// <summary>
/// A fact of a shared conformance suite. It runs like <see cref="FactAttribute"/>, except that it is skipped with the
/// reason when the binding test class or assembly carries a <see cref="RequiresServerAttribute"/> whose server is not
/// configured (outside CI): the same suite then runs against in-process stores and skips for absent servers.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[XunitTestCaseDiscoverer("AiAllin.SK.Testing.Conditional.ConformanceFactDiscoverer", "AiAllin.SK.Testing")]
public sealed class ConformanceFactAttribute : FactAttribute;
