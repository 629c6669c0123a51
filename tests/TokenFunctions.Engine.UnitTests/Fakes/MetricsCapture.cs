using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using TokenFunctions.Engine.Telemetry;

namespace TokenFunctions.Engine.UnitTests.Fakes;

/// <summary>
/// The one metrics capture: every measurement of the TokenFunctions meter created by one meter factory (so parallel tests
/// don't mix). Without a factory it makes a private one and a real <see cref="TokenFunctionsMetrics"/> over it.
/// </summary>
public sealed class MetricsCapture : IDisposable
{
    private readonly ServiceProvider? _provider;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    /// <summary>A private meter factory and <see cref="Metrics"/> over it.</summary>
    public MetricsCapture()
    {
        _provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = _provider.GetRequiredService<IMeterFactory>();
        Metrics = new TokenFunctionsMetrics(factory);
        Listen(factory);
    }

    /// <summary>Listens to the meters <paramref name="scope"/> created (the app's own factory).</summary>
    public MetricsCapture(IMeterFactory scope)
    {
        Listen(scope);
    }

    /// <summary>The metrics of the private factory; only set by the parameterless constructor.</summary>
    public TokenFunctionsMetrics Metrics
    {
        get => field ?? throw new InvalidOperationException("This capture listens to the app's factory; resolve TokenFunctionsMetrics from it.");
        private init;
    }

    public IEnumerable<Measurement> Of(string instrument) => _measurements.Where(m => m.Instrument == instrument);

    /// <summary>The sum of an integer instrument's measurements.</summary>
    public long Sum(string instrument) => Integral(instrument).Sum(m => (long)m.Value);

    /// <summary>The sum of an integer instrument's measurements whose <paramref name="tag"/> is the string <paramref name="value"/>.</summary>
    public long Sum(string instrument, string tag, string value) =>
        Integral(instrument).Where(m => Equals(m.RawTags.GetValueOrDefault(tag), value)).Sum(m => (long)m.Value);

    /// <summary>The sum of an integer instrument's measurements whose tags, written <c>k=v,k=v</c> in order, contain <paramref name="tagsContain"/>.</summary>
    public long Count(string instrument, string? tagsContain = null) =>
        Integral(instrument).Where(m => tagsContain is null || m.TagText.Contains(tagsContain, StringComparison.Ordinal)).Sum(m => (long)m.Value);

    public long SignatureFailures(string source, string? reason = null) =>
        Count("tokenfunctions.signature.failures", reason is null ? $"source={source}" : $"source={source},reason={reason}");

    public void Dispose()
    {
        _listener.Dispose();
        _provider?.Dispose();
    }

    private IEnumerable<Measurement> Integral(string instrument) => Of(instrument).Where(m => m.IsIntegral);

    private void Listen(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TokenFunctionsMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags, isIntegral: true));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags, isIntegral: false));
        _listener.Start();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, bool isIntegral)
    {
        var all = tags.ToArray();
        _measurements.Enqueue(new Measurement(
            instrument.Name,
            value,
            all.ToDictionary(t => t.Key, t => t.Value?.ToString()),
            all.ToDictionary(t => t.Key, t => t.Value),
            string.Join(",", all.Select(t => $"{t.Key}={t.Value}")),
            isIntegral));
    }

    public sealed record Measurement(
        string Instrument,
        double Value,
        IReadOnlyDictionary<string, string?> Tags,
        IReadOnlyDictionary<string, object?> RawTags,
        string TagText,
        bool IsIntegral);
}
