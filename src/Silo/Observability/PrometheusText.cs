using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace ReturnOps.Silo.Observability;

/// <summary>
/// Collects the ReturnOps meters and Orleans' own with a <see cref="MeterListener"/> and writes them in the Prometheus text
/// format (no exporter package is available here): counters as sums, histograms as cumulative buckets,
/// gauges as their last observed value.
/// </summary>
public sealed class PrometheusText : IDisposable
{
    private static readonly double[] s_bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, ConcurrentDictionary<string, Series>> _series = new();
    private readonly Lock _collect = new();

    /// <param name="meters">Only meters made by this host's factory are collected: tests run several hosts in one process.</param>
    public PrometheusText(IMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (IsCollected(instrument.Meter) && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
    }

    /// <summary>Ours, and Orleans' own (activations, calls, membership, reminders), which it creates through the host's factory.</summary>
    private static bool IsCollected(Meter meter) =>
        meter.Name.StartsWith("ReturnOps", StringComparison.Ordinal) || meter.Name == "Microsoft.Orleans";

    public string Render()
    {
        lock (_collect)
        {
            _listener.RecordObservableInstruments();
        }
        var text = new StringBuilder();
        foreach (var (instrument, series) in _series.OrderBy(s => s.Key.Name, StringComparer.Ordinal))
        {
            var name = Sanitize(instrument.Name);
            var kind = instrument switch
            {
                Histogram<double> or Histogram<long> => "histogram",
                Counter<long> or Counter<double> or ObservableCounter<long> => "counter",
                _ => "gauge",
            };
            if (instrument.Description is { Length: > 0 } help)
            {
                text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            }
            text.Append("# TYPE ").Append(name).Append(' ').Append(kind).Append('\n');
            foreach (var (labels, s) in series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                s.Write(text, name, labels, kind);
            }
        }
        return text.ToString();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        var isHistogram = instrument is Histogram<double> or Histogram<long>;
        var isGauge = instrument is ObservableGauge<long> or ObservableGauge<int> or ObservableGauge<double> or Gauge<long> or Gauge<double>;
        var series = _series.GetOrAdd(instrument, _ => new ConcurrentDictionary<string, Series>(StringComparer.Ordinal))
            .GetOrAdd(labels, _ => new Series(isHistogram ? new long[s_bounds.Length] : null));
        series.Add(value, isGauge);
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return "";
        }
        var pairs = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "";
            pairs.Add(Sanitize(tag.Key) + "=\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"");
        }
        pairs.Sort(StringComparer.Ordinal);
        return string.Join(",", pairs);
    }

    private static string Sanitize(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_'));

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose() => _listener.Dispose();

    private sealed class Series(long[]? buckets)
    {
        private readonly Lock _lock = new();
        private double _sum;
        private long _count;

        public void Add(double value, bool replace)
        {
            lock (_lock)
            {
                if (replace)
                {
                    _sum = value;
                    return;
                }
                _sum += value;
                _count++;
                if (buckets is not null)
                {
                    for (var i = 0; i < s_bounds.Length; i++)
                    {
                        if (value <= s_bounds[i])
                        {
                            buckets[i]++;
                        }
                    }
                }
            }
        }

        public void Write(StringBuilder text, string name, string labels, string kind)
        {
            lock (_lock)
            {
                if (kind != "histogram")
                {
                    text.Append(name).Append(labels.Length > 0 ? "{" + labels + "}" : "").Append(' ').Append(Number(_sum)).Append('\n');
                    return;
                }
                var prefix = labels.Length > 0 ? labels + "," : "";
                for (var i = 0; i < s_bounds.Length; i++)
                {
                    text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(Number(s_bounds[i])).Append("\"} ").Append(buckets![i]).Append('\n');
                }
                text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"+Inf\"} ").Append(_count).Append('\n');
                var suffix = labels.Length > 0 ? "{" + labels + "}" : "";
                text.Append(name).Append("_sum").Append(suffix).Append(' ').Append(Number(_sum)).Append('\n');
                text.Append(name).Append("_count").Append(suffix).Append(' ').Append(_count).Append('\n');
            }
        }
    }
}
