using System.ComponentModel;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace AiAllin.SK.Testing.Conditional;

/// <summary>A test case reported as skipped with a reason decided at discovery (its server is not configured).</summary>
public sealed class SkippedTestCase : XunitTestCase
{
    private string _reason = string.Empty;

    /// <summary>For the deserializer only.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public SkippedTestCase()
    {
    }

    public SkippedTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod testMethod, string reason)
        : base(sink, display, displayOptions, testMethod) => _reason = reason;

    protected override string GetSkipReason(IAttributeInfo factAttribute) => _reason;

    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("SkipReasonByServer", _reason);
    }

    public override void Deserialize(IXunitSerializationInfo data)
    {
        // Set before the base class runs: it may initialise the case, which reads the skip reason.
        _reason = data.GetValue<string>("SkipReasonByServer");
        base.Deserialize(data);
    }
}
