using Xunit.Abstractions;
using Xunit.Sdk;

namespace AiAllin.SK.Testing.Conditional;

/// <summary>Discovers <see cref="ConformanceTheoryAttribute"/> tests: one skipped case when a required server is absent, the usual data rows otherwise.</summary>
public sealed class ConformanceTheoryDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    private readonly TheoryDiscoverer _inner = new(diagnosticMessageSink);

    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
        => ServerRequirement.SkipReason(testMethod) is { } reason
            ? [new SkippedTestCase(diagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : _inner.Discover(discoveryOptions, testMethod, factAttribute);
}
