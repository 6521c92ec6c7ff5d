using System.Diagnostics.CodeAnalysis;

namespace MirtLab.Mqtt.Protocol;

/// <summary>Reads whole packets from a stream; the one reader of a connection's receive side.</summary>
internal sealed class MqttPacketReader
{
    private const int InitialBufferSize = 4096;
    private const int ShrinkAbove = 64 * 1024;

    private readonly Stream _stream;
    private readonly int _maximumPacketSize;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;

    public MqttPacketReader(Stream stream, MqttProtocolVersion version, int maximumPacketSize)
    {
        _stream = stream;
        Version = version;
        _maximumPacketSize = maximumPacketSize;
    }

    public MqttProtocolVersion Version { get; }

    /// <summary>The next packet; throws <see cref="EndOfStreamException"/> when the peer closes the connection.</summary>
    public async ValueTask<MqttPacket> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryDecodeBuffered(out var packet))
            {
                return packet;
            }

            MakeRoom();
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException(_end > _start
                    ? "The broker closed the connection in the middle of a packet."
                    : "The broker closed the connection.");
            }

            _end += read;
        }
    }

    private bool TryDecodeBuffered([NotNullWhen(true)] out MqttPacket? packet)
    {
        packet = null;
        if (_end == _start
            || !MqttPacketCodec.TryDecode(_buffer.AsSpan(_start, _end - _start), Version, _maximumPacketSize, out packet, out var consumed))
        {
            return false;
        }

        _start += consumed;
        if (_start == _end)
        {
            _start = _end = 0;
            if (_buffer.Length > ShrinkAbove)
            {
                _buffer = new byte[InitialBufferSize];
            }
        }

        return true;
    }

    private void MakeRoom()
    {
        var pending = _end - _start;
        var needed = pending + 1;
        if (MqttPacketCodec.TryReadFixedHeader(_buffer.AsSpan(_start, pending), out var headerLength, out var remainingLength))
        {
            needed = Math.Max(needed, headerLength + remainingLength);
        }

        if (_buffer.Length - _start >= needed && _end < _buffer.Length)
        {
            return;
        }

        var target = _buffer.Length >= needed ? _buffer : new byte[Math.Max(needed, _buffer.Length * 2)];
        _buffer.AsSpan(_start, pending).CopyTo(target);
        _buffer = target;
        _start = 0;
        _end = pending;
    }
}
