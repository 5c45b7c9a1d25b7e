using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AiAllin.SK.Filters.Tests.TestSupport;

/// <summary>
/// Collects every measurement of the meters with a given name through a <see cref="MeterListener"/>. Tests run in
/// parallel and share meter names, so filter what you assert on by something unique to your test (a model id, a
/// function name) with <see cref="For"/>.
/// </summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();

    /// <summary>Starts listening to the meters named <paramref name="meterName"/>.</summary>
    /// <param name="meterName">The meter name.</param>
    public MeasurementRecorder(string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, _) => Add(i, v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, _) => Add(i, v, t));
        _listener.Start();
    }

    /// <summary>Gets all measurements so far.</summary>
    public IReadOnlyList<RecordedMeasurement> All => [.. _measurements];

    /// <summary>Gets the measurements of one instrument whose tag <paramref name="tag"/> equals <paramref name="value"/>.</summary>
    /// <param name="instrument">The instrument name.</param>
    /// <param name="tag">The tag to filter on.</param>
    /// <param name="value">Its value.</param>
    /// <returns>The measurements.</returns>
    public IReadOnlyList<RecordedMeasurement> For(string instrument, string tag, string value) =>
        [.. _measurements.Where(m => m.Instrument == instrument && m.Tag(tag) == value)];

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dictionary = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            dictionary[tag.Key] = tag.Value;
        }

        _measurements.Enqueue(new RecordedMeasurement(instrument.Name, value, dictionary));
    }
}
