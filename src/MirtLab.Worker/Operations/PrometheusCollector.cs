using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace MirtLab.Worker.Operations;

/// <summary>
/// Listens to this service's <c>MirtLab</c> meter and aggregates what <c>/metrics</c> serves: counters as running
/// sums, histograms as cumulative buckets with sum and count, observable gauges read at each scrape. Only the
/// meter of this host is listened to, so two hosts in one process (tests) never mix their figures.
/// </summary>
public sealed class PrometheusCollector : IDisposable
{
    /// <summary>OpenTelemetry's default histogram boundaries, for a histogram that gives no advice.</summary>
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];
    private readonly MeterListener _listener;
    private readonly ConcurrentDictionary<Instrument, Aggregate> _aggregates = new();
    private readonly Lock _scrape = new();

    public PrometheusCollector(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter))
                {
                    var aggregate = _aggregates.GetOrAdd(instrument, i => new Aggregate(i));
                    listener.EnableMeasurementEvents(instrument, aggregate);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((Aggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((Aggregate)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((Aggregate)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments and returns every family, sorted by name.</summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        lock (_scrape)
        {
            foreach (var aggregate in _aggregates.Values.Where(a => a.IsObservable))
            {
                aggregate.Reset();
            }

            _listener.RecordObservableInstruments();
            return _aggregates.Values.Select(a => a.ToFamily()).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>The exposition text of <see cref="Collect"/>.</summary>
    public string Scrape()
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        PrometheusText.Write(writer, Collect());
        return writer.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private sealed class Aggregate
    {
        private readonly Instrument _instrument;
        private readonly Lock _gate = new();
        private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly double[]? _buckets;

        public Aggregate(Instrument instrument)
        {
            _instrument = instrument;
            IsObservable = instrument.IsObservable;
            Type = instrument switch
            {
                Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => "counter",
                Histogram<double> or Histogram<long> or Histogram<int> => "histogram",
                _ => "gauge",
            };
            if (Type == "histogram")
            {
                var advice = (instrument as Histogram<double>)?.Advice?.HistogramBucketBoundaries?.ToArray()
                    ?? (instrument as Histogram<long>)?.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray();
                _buckets = advice is { Length: > 0 } ? advice : DefaultBuckets;
            }

            Name = PrometheusText.MetricName(instrument.Name, instrument.Unit, Type == "counter");
        }

        public bool IsObservable { get; }

        public string Type { get; }

        public string Name { get; }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = new List<KeyValuePair<string, string>>(tags.Length);
            foreach (var tag in tags)
            {
                labels.Add(new(tag.Key, Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty));
            }

            labels.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            var key = new StringBuilder();
            foreach (var label in labels)
            {
                key.Append(label.Key).Append('\u0001').Append(label.Value).Append('\u0002');
            }

            lock (_gate)
            {
                if (!_series.TryGetValue(key.ToString(), out var series))
                {
                    series = new Series(labels, _buckets is null ? null : new long[_buckets.Length + 1]);
                    _series[key.ToString()] = series;
                }

                if (_buckets is not null)
                {
                    var index = Array.FindIndex(_buckets, b => value <= b);
                    series.Buckets![index < 0 ? _buckets.Length : index]++;
                    series.Count++;
                    series.Sum += value;
                }
                else if (IsObservable)
                {
                    // An observation is the current value (a gauge) or the running total (an observable counter).
                    series.Value = value;
                }
                else
                {
                    series.Value += value;
                }
            }
        }

        public void Reset()
        {
            lock (_gate)
            {
                _series.Clear();
            }
        }

        public MetricFamily ToFamily()
        {
            var samples = new List<MetricSample>();
            lock (_gate)
            {
                foreach (var series in _series.Values.OrderBy(s => string.Join(",", s.Labels.Select(l => l.Key + "=" + l.Value)), StringComparer.Ordinal))
                {
                    if (_buckets is null)
                    {
                        samples.Add(new MetricSample(Name, series.Labels, series.Value));
                        continue;
                    }

                    long cumulative = 0;
                    for (var i = 0; i <= _buckets.Length; i++)
                    {
                        cumulative += series.Buckets![i];
                        var le = i < _buckets.Length ? PrometheusText.Number(_buckets[i]) : "+Inf";
                        samples.Add(new MetricSample(Name + "_bucket", [.. series.Labels, new("le", le)], cumulative));
                    }

                    samples.Add(new MetricSample(Name + "_sum", series.Labels, series.Sum));
                    samples.Add(new MetricSample(Name + "_count", series.Labels, series.Count));
                }
            }

            return new MetricFamily(Name, Type, _instrument.Description ?? _instrument.Name, samples);
        }

        private sealed class Series(IReadOnlyList<KeyValuePair<string, string>> labels, long[]? buckets)
        {
            public IReadOnlyList<KeyValuePair<string, string>> Labels { get; } = labels;

            public long[]? Buckets { get; } = buckets;

            public double Value { get; set; }

            public double Sum { get; set; }

            public long Count { get; set; }
        }
    }
}
