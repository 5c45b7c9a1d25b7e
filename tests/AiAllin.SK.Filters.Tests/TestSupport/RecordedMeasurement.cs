namespace AiAllin.SK.Filters.Tests.TestSupport;

/// <summary>One measurement seen by a <see cref="MeasurementRecorder"/>.</summary>
/// <param name="Instrument">The instrument name.</param>
/// <param name="Value">The value (as double).</param>
/// <param name="Tags">The tags.</param>
public sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    /// <summary>Gets a tag value as a string (null when missing).</summary>
    /// <param name="name">The tag name.</param>
    /// <returns>The value.</returns>
    public string? Tag(string name) => Tags.TryGetValue(name, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}
