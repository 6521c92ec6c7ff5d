using Xunit;

namespace MirtLab.Testing;

/// <summary>
/// A plain Mosquitto shared by the tests of a class or collection (IClassFixture&lt;MosquittoFixture&gt;).
/// Tests that stop, kill or reconfigure the broker start their own with <see cref="MosquittoBroker.StartAsync"/>.
/// </summary>
public sealed class MosquittoFixture : IAsyncLifetime
{
    private MosquittoBroker? _broker;

    public MosquittoBroker Broker => _broker ?? throw new InvalidOperationException("The fixture has not been initialised.");

    public async ValueTask InitializeAsync() => _broker = await MosquittoBroker.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }
}
