using MirtLab.Mqtt.Protocol;

namespace MirtLab.Mqtt;

/// <summary>A QoS 1 message from PublishAsync until its PUBACK; guarded by the client's lock.</summary>
internal sealed class OutgoingPublish
{
    public OutgoingPublish(MqttApplicationMessage message, MqttProperties? properties)
    {
        Message = message;
        Properties = properties;
        Node = new LinkedListNode<OutgoingPublish>(this);
    }

    public MqttApplicationMessage Message { get; }

    public MqttProperties? Properties { get; }

    /// <summary>Its place in the waiting queue or the in-flight list (it is in at most one).</summary>
    public LinkedListNode<OutgoingPublish> Node { get; }

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public OutgoingPublishState State { get; set; }

    public ushort PacketId { get; set; }

    public CancellationTokenRegistration Cancellation { get; set; }

    public PublishPacket CreatePacket(bool dup) => new()
    {
        Topic = Message.Topic,
        PacketId = PacketId,
        QualityOfService = MqttQualityOfService.AtLeastOnce,
        Retain = Message.Retain,
        Dup = dup,
        Payload = Message.Payload,
        Properties = Properties,
    };
}

internal enum OutgoingPublishState
{
    New,
    Waiting,
    InFlight,
    Done,
}
