using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace MirtLab.Mqtt.Protocol;

/// <summary>Reads a packet body; every failure is an <see cref="MqttProtocolException"/> naming the packet, the field and the byte offset.</summary>
internal ref struct MqttSpanReader
{
    private readonly ReadOnlySpan<byte> _span;
    private readonly string _packet;
    private int _position;

    public MqttSpanReader(ReadOnlySpan<byte> span, string packet)
    {
        _span = span;
        _packet = packet;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _span.Length - _position;

    public byte ReadByte(string what)
    {
        Need(1, what);
        return _span[_position++];
    }

    public ushort ReadUInt16(string what)
    {
        Need(2, what);
        var value = BinaryPrimitives.ReadUInt16BigEndian(_span[_position..]);
        _position += 2;
        return value;
    }

    public ushort ReadPacketId(string what)
    {
        var at = _position;
        var id = ReadUInt16(what);
        return id != 0 ? id : throw Error(at, what, "packet identifier 0 is not allowed (MQTT-2.3.1-1)");
    }

    public uint ReadUInt32(string what)
    {
        Need(4, what);
        var value = BinaryPrimitives.ReadUInt32BigEndian(_span[_position..]);
        _position += 4;
        return value;
    }

    /// <summary>MQTT 1.5.5: at most four bytes, seven bits each, least significant first.</summary>
    public int ReadVariableByteInteger(string what)
    {
        var at = _position;
        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            if (_position >= _span.Length)
            {
                throw Error(at, what, "the packet ends inside a variable byte integer");
            }

            var b = _span[_position++];
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw Error(at, what, "a variable byte integer is longer than 4 bytes (MQTT 1.5.5)");
    }

    public ReadOnlySpan<byte> ReadBytes(int count, string what)
    {
        Need(count, what);
        var bytes = _span.Slice(_position, count);
        _position += count;
        return bytes;
    }

    public ReadOnlySpan<byte> ReadRest()
    {
        var rest = _span[_position..];
        _position = _span.Length;
        return rest;
    }

    /// <summary>MQTT 1.5.6 binary data: two-byte length, then the bytes (copied: the receive buffer is reused).</summary>
    public ReadOnlyMemory<byte> ReadBinaryData(string what)
    {
        var length = ReadUInt16(what);
        return ReadBytes(length, what).ToArray();
    }

    /// <summary>MQTT 1.5.4 UTF-8 string: well-formed UTF-8 (MQTT-1.5.4-1), no U+0000 (MQTT-1.5.4-2).</summary>
    public string ReadString(string what)
    {
        var length = ReadUInt16(what);
        var at = _position;
        var bytes = ReadBytes(length, what);
        if (!Utf8.IsValid(bytes))
        {
            throw Error(at, what, "the string is not well-formed UTF-8 (MQTT-1.5.4-1)");
        }

        if (bytes.Contains((byte)0))
        {
            throw Error(at, what, "the string contains U+0000 (MQTT-1.5.4-2)");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    public readonly void ExpectEnd(string what)
    {
        if (_position != _span.Length)
        {
            throw Error(_position, what, string.Create(CultureInfo.InvariantCulture, $"{_span.Length - _position} unexpected byte(s) after the end of the packet"));
        }
    }

    public readonly MqttProtocolException Error(int at, string what, string problem, MqttReasonCode reasonCode = MqttReasonCode.MalformedPacket) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Malformed {_packet} packet: {what} at body byte {at}: {problem}."), reasonCode);

    private readonly void Need(int count, string what)
    {
        if (_span.Length - _position < count)
        {
            throw Error(_position, what, string.Create(CultureInfo.InvariantCulture, $"needs {count} byte(s) but the packet has {_span.Length - _position} left"));
        }
    }
}
