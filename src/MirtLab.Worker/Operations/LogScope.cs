using System.Collections;
using System.Globalization;

namespace MirtLab.Worker.Operations;

/// <summary>
/// A logging scope of named values: the JSON console formatter writes each as a property of the scope
/// (<c>{"Message":"Instrument=tq5500 File=plate.txt","Instrument":"tq5500","File":"plate.txt"}</c>), the simple
/// formatter prints the message.
/// </summary>
public sealed class LogScope(params KeyValuePair<string, object?>[] values) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => values.Length;

    public KeyValuePair<string, object?> this[int index] => values[index];

    public static IDisposable? Begin(ILogger logger, params (string Key, object? Value)[] values)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return logger.BeginScope(new LogScope([.. values.Select(v => new KeyValuePair<string, object?>(v.Key, v.Value))]));
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(" ", values.Select(v => v.Key + "=" + Convert.ToString(v.Value, CultureInfo.InvariantCulture)));
}
