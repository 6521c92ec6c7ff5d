namespace MirtLab.Mqtt.Tests.Client;

public sealed class MqttClientOptionsTests
{
    [Fact]
    public void Defaults_WithAHost_AreValid()
    {
        Assert.Empty(new MqttClientOptions { Host = "broker.lab" }.Validate());
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "no host", "Mqtt:Host is required" },
        { "port 0", "Mqtt:Port must be 1-65535" },
        { "persistent session without client id", "Mqtt:ClientId is required with PersistentSession" },
        { "password without user name", "Mqtt:Password needs a Username with MQTT 3.1.1" },
        { "keep-alive in milliseconds", "Mqtt:KeepAlive must be whole seconds" },
        { "window of 0", "Mqtt:MaxInflightMessages must be 1-65000" },
        { "reconnect delays reversed", "ReconnectDelayMin must be positive and not above ReconnectDelayMax" },
        { "will with wildcard topic", "Mqtt:LastWill: The topic name 'lab/#' contains a wildcard" },
        { "will with QoS 2", "Mqtt:LastWill: Only QoS 0 and QoS 1 are supported" },
        { "missing CA file", "Mqtt:Tls:CaFile '/nonexistent/ca.crt' does not exist" },
        { "CA file and accept-any together", "contradict each other" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_IsReportedInWordsAnOperatorCanActOn(string what, string expected)
    {
        var options = new MqttClientOptions { Host = "broker.lab" };
        switch (what)
        {
            case "no host": options.Host = " "; break;
            case "port 0": options.Port = 0; break;
            case "persistent session without client id": options.PersistentSession = true; break;
            case "password without user name": options.Password = "x"; break;
            case "keep-alive in milliseconds": options.KeepAlive = TimeSpan.FromMilliseconds(1500); break;
            case "window of 0": options.MaxInflightMessages = 0; break;
            case "reconnect delays reversed": options.ReconnectDelayMin = TimeSpan.FromSeconds(10); options.ReconnectDelayMax = TimeSpan.FromSeconds(1); break;
            case "will with wildcard topic": options.LastWill = new MqttApplicationMessage { Topic = "lab/#" }; break;
            case "will with QoS 2": options.LastWill = new MqttApplicationMessage { Topic = "lab", QualityOfService = (MqttQualityOfService)2 }; break;
            case "missing CA file": options.Tls = new MqttTlsOptions { Enabled = true, CaFile = "/nonexistent/ca.crt" }; break;
            default: options.Tls = new MqttTlsOptions { Enabled = true, CaFile = typeof(MqttClientOptionsTests).Assembly.Location, DangerouslyAcceptAnyServerCertificate = true }; break;
        }

        var errors = options.Validate();

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        var ex = Assert.Throws<ArgumentException>(() => new MqttClient(options));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Port_DefaultsTo1883OrTo8883WithTls()
    {
        Assert.Equal(1883, new MqttClientOptions { Host = "h" }.EffectivePort);
        Assert.Equal(8883, new MqttClientOptions { Host = "h", Tls = new MqttTlsOptions { Enabled = true } }.EffectivePort);
    }
}
