using System.Buffers.Binary;
using System.Globalization;

namespace MirtLab.Mqtt.Protocol;

/// <summary>
/// Writes a packet body, or only counts its bytes when created by <see cref="Counter"/>: the same code then
/// yields the remaining length and the bytes, so they cannot disagree.
/// </summary>
internal ref struct MqttSpanWriter
{
    private readonly Span<byte> _buffer;
    private readonly bool _countOnly;

    public MqttSpanWriter(Span<byte> buffer)
    {
        _buffer = buffer;
    }

    private MqttSpanWriter(bool countOnly)
    {
        _countOnly = countOnly;
    }

    public int Position { get; private set; }

    public static MqttSpanWriter Counter() => new(countOnly: true);

    public void WriteByte(byte value)
    {
        if (!_countOnly)
        {
            _buffer[Position] = value;
        }

        Position++;
    }

    public void WriteUInt16(ushort value)
    {
        if (!_countOnly)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_buffer[Position..], value);
        }

        Position += 2;
    }

    public void WriteUInt32(uint value)
    {
        if (!_countOnly)
        {
            BinaryPrimitives.WriteUInt32BigEndian(_buffer[Position..], value);
        }

        Position += 4;
    }

    public void WriteVariableByteInteger(int value)
    {
        if (value is < 0 or > MqttPacketCodec.MaxRemainingLength)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A variable byte integer holds 0 to 268,435,455 (MQTT 1.5.5).");
        }

        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            WriteByte(value > 0 ? (byte)(b | 0x80) : b);
        }
        while (value > 0);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (!_countOnly)
        {
            bytes.CopyTo(_buffer[Position..]);
        }

        Position += bytes.Length;
    }

    public void WriteBinaryData(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > ushort.MaxValue)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Binary data of {bytes.Length} bytes is longer than MQTT's 65535."), nameof(bytes));
        }

        WriteUInt16((ushort)bytes.Length);
        WriteBytes(bytes);
    }

    public void WriteString(string value)
    {
        if (_countOnly)
        {
            MqttTopic.ValidateString(value, nameof(value), "string");
            Position += 2 + MqttTopic.StrictUtf8.GetByteCount(value);
            return;
        }

        var length = MqttTopic.StrictUtf8.GetBytes(value, _buffer[(Position + 2)..]);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[Position..], (ushort)length);
        Position += 2 + length;
    }

    public static int VariableByteIntegerSize(int value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };
}
