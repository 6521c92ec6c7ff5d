using System.Globalization;
using System.Text;

namespace MirtLab.Mqtt;

/// <summary>Argument checks for what the application hands to the client, before anything is queued.</summary>
internal static class MqttTopic
{
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>MQTT 1.5.4: well-formed UTF-8 (no lone surrogates), no U+0000, at most 65535 bytes.</summary>
    public static void ValidateString(string value, string paramName, string what)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} contains U+0000, which MQTT forbids (MQTT-1.5.4-2).", paramName);
        }

        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException($"The {what} is not valid Unicode (lone surrogate), so it has no UTF-8 form (MQTT-1.5.4-1).", paramName, ex);
        }

        if (bytes > ushort.MaxValue)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The {what} is {bytes} UTF-8 bytes; MQTT allows at most 65535."), paramName);
        }
    }

    public static void ValidateTopicName(string topic, string paramName)
    {
        if (string.IsNullOrEmpty(topic))
        {
            throw new ArgumentException("A topic name must have at least one character (MQTT-4.7.3-1).", paramName);
        }

        if (topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            throw new ArgumentException($"The topic name '{topic}' contains a wildcard; wildcards are for subscriptions only (MQTT-3.3.2-2).", paramName);
        }

        ValidateString(topic, paramName, "topic name");
    }

    public static void ValidateTopicFilter(string filter, string paramName)
    {
        if (TopicFilterError(filter) is { } error)
        {
            throw new ArgumentException(error, paramName);
        }

        ValidateString(filter, paramName, "topic filter");
    }

    /// <summary>MQTT 4.7.1: '#' alone in the last level, '+' alone in its level.</summary>
    public static string? TopicFilterError(string filter)
    {
        if (string.IsNullOrEmpty(filter))
        {
            return "A topic filter must have at least one character (MQTT-4.7.3-1).";
        }

        for (var i = 0; i < filter.Length; i++)
        {
            var c = filter[i];
            if (c == '#' && (i != filter.Length - 1 || (i > 0 && filter[i - 1] != '/')))
            {
                return $"In the topic filter '{filter}', '#' must be the whole last level (MQTT-4.7.1-2).";
            }

            if (c == '+' && ((i > 0 && filter[i - 1] != '/') || (i < filter.Length - 1 && filter[i + 1] != '/')))
            {
                return $"In the topic filter '{filter}', '+' must be a whole level (MQTT-4.7.1-3).";
            }
        }

        return null;
    }

    public static void ValidateQualityOfService(MqttQualityOfService qos, string paramName)
    {
        if (qos is not (MqttQualityOfService.AtMostOnce or MqttQualityOfService.AtLeastOnce))
        {
            throw new ArgumentOutOfRangeException(paramName, qos, "Only QoS 0 and QoS 1 are supported; QoS 2 (exactly once) is not.");
        }
    }

    public static void ValidateMessage(MqttApplicationMessage message, string paramName)
    {
        ValidateTopicName(message.Topic, paramName);
        ValidateQualityOfService(message.QualityOfService, paramName);
        if (message.ContentType is { } contentType)
        {
            ValidateString(contentType, paramName, "content type");
        }

        if (message.ResponseTopic is { } responseTopic)
        {
            ValidateTopicName(responseTopic, paramName);
        }

        if (message.MessageExpiryInterval is { } expiry && (expiry <= TimeSpan.Zero || expiry.TotalSeconds > uint.MaxValue))
        {
            throw new ArgumentOutOfRangeException(paramName, expiry, "A message expiry interval must be positive and at most 2^32-1 seconds.");
        }

        foreach (var property in message.UserProperties)
        {
            ValidateString(property.Name, paramName, "user property name");
            ValidateString(property.Value, paramName, "user property value");
        }
    }
}
