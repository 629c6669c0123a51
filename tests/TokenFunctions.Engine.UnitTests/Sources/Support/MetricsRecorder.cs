using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.Tests.Sources.Support;

/// <summary>Captures the app's counters from one meter factory (so parallel tests do not see each other).</summary>
public sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();

    public MetricsRecorder(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TokenFunctionsMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tagText = string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"));
            Measurements.Enqueue((instrument.Name, tagText, value));
        });
        _listener.Start();
    }

    public ConcurrentQueue<(string Instrument, string Tags, long Value)> Measurements { get; } = new();

    public long Count(string instrument, string? tagsContain = null) =>
        Measurements.Where(m => m.Instrument == instrument && (tagsContain is null || m.Tags.Contains(tagsContain, StringComparison.Ordinal))).Sum(m => m.Value);

    public long SignatureFailures(string source, string? reason = null) =>
        Count("tokenfunctions.signature.failures", reason is null ? $"source={source}" : $"source={source},reason={reason}");

    public void Dispose() => _listener.Dispose();
}
