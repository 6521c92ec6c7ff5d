namespace MirtLab.Mqtt.Tests.Client;

public sealed class PacketIdentifierPoolTests
{
    [Fact]
    public void Allocate_NeverGivesZeroAndSkipsIdentifiersInUse()
    {
        var pool = new PacketIdentifierPool();
        var held = pool.Allocate();

        var seen = new HashSet<ushort>();
        for (var i = 0; i < 200_000; i++)
        {
            var id = pool.Allocate();
            Assert.NotEqual(0, id);
            Assert.NotEqual(held, id);
            seen.Add(id);
            pool.Release(id);
        }

        Assert.Equal(65534, seen.Count);
        Assert.Equal(1, pool.InUse);
    }

    [Fact]
    public void Allocate_AllInUse_ThrowsInsteadOfReusing()
    {
        var pool = new PacketIdentifierPool();
        for (var i = 0; i < 65535; i++)
        {
            pool.Allocate();
        }

        Assert.False(pool.HasFree);
        Assert.Throws<InvalidOperationException>(() => pool.Allocate());
        pool.Release(12345);
        Assert.Equal(12345, pool.Allocate());
    }

    [Fact]
    public void Release_OfAnIdentifierNotInUse_IsHarmless()
    {
        var pool = new PacketIdentifierPool();

        pool.Release(7);
        pool.Release(0);

        Assert.Equal(0, pool.InUse);
    }
}
