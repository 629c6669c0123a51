using Amqp;
using Amqp.Types;

namespace TokenFunctions.WorkerHost.ServiceBus;

/// <summary>
/// AMQP maps as dictionaries, including the described types Service Bus uses for .NET values AMQP lacks
/// (<c>com.microsoft:datetime-offset</c>, <c>:timespan</c>, <c>:uri</c>).
/// </summary>
internal static class AmqpValues
{
    public static Dictionary<string, object?> ToDictionary(Map? map)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (map is null)
        {
            return result;
        }

        foreach (var key in map.Keys)
        {
            result[key.ToString()!] = FromAmqp(map[key]);
        }

        return result;
    }

    /// <summary>Reads an AMQP-encoded map (what the worker's <c>ServiceBusMessageActions</c> sends as <c>propertiesToModify</c>).</summary>
    public static Dictionary<string, object?> DecodeMap(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        var bytes = encoded.ToArray();
        return ToDictionary(Encoder.ReadObject(new ByteBuffer(bytes, 0, bytes.Length, bytes.Length)) as Map);
    }

    public static Map ToMap(IReadOnlyDictionary<string, object?> properties)
    {
        var map = new Map();
        foreach (var (key, value) in properties)
        {
            map[key] = value;
        }

        return map;
    }

    private static object? FromAmqp(object? value) => value switch
    {
        DescribedValue { Descriptor: Symbol descriptor, Value: long ticks } when descriptor.ToString() == "com.microsoft:datetime-offset" => new DateTimeOffset(ticks, TimeSpan.Zero),
        DescribedValue { Descriptor: Symbol descriptor, Value: long ticks } when descriptor.ToString() == "com.microsoft:timespan" => new TimeSpan(ticks),
        DescribedValue { Descriptor: Symbol descriptor, Value: string uri } when descriptor.ToString() == "com.microsoft:uri" => new Uri(uri),
        Symbol symbol => symbol.ToString(),
        _ => value,
    };
}
