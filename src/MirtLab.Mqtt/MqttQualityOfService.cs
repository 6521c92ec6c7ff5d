namespace MirtLab.Mqtt;

/// <summary>
/// Delivery guarantee of a message. QoS 2 (exactly once) is deliberately not offered: MirtLab consumers are
/// idempotent (content-derived ids), so at-least-once is what they need, with half the round trips.
/// </summary>
public enum MqttQualityOfService
{
    /// <summary>QoS 0: fire and forget.</summary>
    AtMostOnce = 0,

    /// <summary>QoS 1: acknowledged by PUBACK, resent until acknowledged, may arrive more than once.</summary>
    AtLeastOnce = 1,
}
