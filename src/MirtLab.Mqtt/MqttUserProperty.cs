namespace MirtLab.Mqtt;

/// <summary>An MQTT 5.0 user property: a name/value pair; names may repeat and order is kept (MQTT 3.3.2.3.7).</summary>
public readonly record struct MqttUserProperty(string Name, string Value);
