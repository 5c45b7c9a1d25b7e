using Xunit.Abstractions;
using Xunit.Sdk;

namespace AiAllin.SK.Testing.Conditional;

/// <summary>Discovers <see cref="ConformanceFactAttribute"/> tests: skipped when a required server is absent, plain facts otherwise.</summary>
public sealed class ConformanceFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    private readonly FactDiscoverer _inner = new(diagnosticMessageSink);

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
        => ServerRequirement.SkipReason(testMethod) is { } reason
            ? [new SkippedTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : _inner.Discover(discoveryOptions, testMethod, factAttribute);
}
