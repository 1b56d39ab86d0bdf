using Confluent.Kafka;

namespace AgentStateProcessor.Kafka;

/// <summary>The one way this code base produces a record: waiting for room when librdkafka's local queue is full.</summary>
internal static class ProducerExtensions
{
    private static readonly TimeSpan RoomWait = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Produces, retrying in place only while the local queue is full (<c>Local_QueueFull</c>):
    /// polling serves delivery reports, which frees room. Every other error is the caller's.
    /// </summary>
    public static void ProduceWhenRoom<TKey, TValue>(this IProducer<TKey, TValue> producer, TopicPartition target,
        Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? onDelivery = null)
    {
        while (true)
        {
            try
            {
                producer.Produce(target, message, onDelivery);
                return;
            }
            catch (ProduceException<TKey, TValue> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(RoomWait);
            }
        }
    }

    /// <inheritdoc cref="ProduceWhenRoom{TKey,TValue}(IProducer{TKey,TValue},TopicPartition,Message{TKey,TValue},Action{DeliveryReport{TKey,TValue}}?)"/>
    public static void ProduceWhenRoom<TKey, TValue>(this IProducer<TKey, TValue> producer, string topic,
        Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? onDelivery = null) =>
        producer.ProduceWhenRoom(new TopicPartition(topic, Partition.Any), message, onDelivery);
}
