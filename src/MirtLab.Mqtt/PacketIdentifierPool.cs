namespace MirtLab.Mqtt;

/// <summary>Packet identifiers 1-65535 (MQTT 2.2.1), handed out round-robin so a freed id is not reused at once. Not thread-safe.</summary>
internal sealed class PacketIdentifierPool
{
    private readonly bool[] _used = new bool[ushort.MaxValue + 1];
    private ushort _next = 1;

    public int InUse { get; private set; }

    public bool HasFree => InUse < ushort.MaxValue;

    public ushort Allocate()
    {
        if (!HasFree)
        {
            throw new InvalidOperationException("All 65535 MQTT packet identifiers are in use.");
        }

        while (_used[_next])
        {
            Advance();
        }

        var id = _next;
        _used[id] = true;
        InUse++;
        Advance();
        return id;
    }

    public void Release(ushort id)
    {
        if (id != 0 && _used[id])
        {
            _used[id] = false;
            InUse--;
        }
    }

    private void Advance() => _next = _next == ushort.MaxValue ? (ushort)1 : (ushort)(_next + 1);
}
