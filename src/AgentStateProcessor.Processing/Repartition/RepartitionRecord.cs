using System.Buffers;
using System.Text;
using AgentStateProcessor.Domain.Events;

namespace AgentStateProcessor.Processing.Repartition;

/// <summary>
/// A validated DN event on its way from the agent side to the DN side, with what the DN side
/// needs of its input record: the key, and the timestamp freshness is measured from (the event's
/// <see cref="VoiceEvent.Position"/> is the input position). The DN side folds it as it is: it is
/// never validated a second time.
/// </summary>
public sealed record RepartitionRecord(VoiceEvent Event, string? InputKey, long InputTimestampMicros)
{
    /// <summary>The first byte of every encoded record; a reader refuses versions it does not know.</summary>
    public const byte FormatVersion = 1;

    /// <summary>
    /// Version byte, then Avro-style zigzag varints for numbers and length-prefixed UTF-8 for
    /// text (an optional text's length is stored plus one, 0 meaning null): input timestamp,
    /// input topic, partition, offset, input key?, name, kind, tenant, agent?, ThisDN?, ThisQueue?,
    /// OtherDN?, ConnID?, work mode (0 null, else value plus one), reason code?, event time.
    /// docs/pipeline.md describes the same layout.
    /// </summary>
    public byte[] Encode()
    {
        var e = Event;
        var buffer = new ArrayBufferWriter<byte>(128);
        buffer.GetSpan(1)[0] = FormatVersion;
        buffer.Advance(1);
        WriteLong(buffer, InputTimestampMicros);
        WriteText(buffer, e.Position.Topic);
        WriteLong(buffer, e.Position.Partition);
        WriteLong(buffer, e.Position.Offset);
        WriteOptionalText(buffer, InputKey);
        WriteText(buffer, e.Name);
        WriteLong(buffer, (long)e.Kind);
        WriteText(buffer, e.TenantId);
        WriteOptionalText(buffer, e.AgentId);
        WriteOptionalText(buffer, e.ThisDn);
        WriteOptionalText(buffer, e.ThisQueue);
        WriteOptionalText(buffer, e.OtherDn);
        WriteOptionalText(buffer, e.ConnId);
        WriteLong(buffer, e.WorkMode is { } mode ? (long)mode + 1 : 0);
        WriteOptionalText(buffer, e.ReasonCode);
        WriteLong(buffer, e.TimeMicros);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an encoded record; never throws on bad bytes.</summary>
    /// <param name="error">Why the bytes are not a record of a known version, when they are not.</param>
    public static RepartitionRecord? Decode(ReadOnlySpan<byte> bytes, out string? error)
    {
        var reader = new Reader(bytes);
        try
        {
            if (bytes.IsEmpty) throw new FormatException("the value is empty");
            if (bytes[0] != FormatVersion) throw new FormatException($"format version {bytes[0]} is not {FormatVersion}");
            reader.Offset = 1;
            var timestamp = reader.Long();
            var topic = reader.Text();
            var partition = checked((int)reader.Long());
            var offset = reader.Long();
            var key = reader.OptionalText();
            var name = reader.Text();
            var kind = (EventKind)reader.Long();
            if (!Enum.IsDefined(kind)) throw new FormatException($"event kind {(long)kind} is unknown");
            var tenant = reader.Text();
            var agent = reader.OptionalText();
            var thisDn = reader.OptionalText();
            var thisQueue = reader.OptionalText();
            var otherDn = reader.OptionalText();
            var connId = reader.OptionalText();
            var modeCode = reader.Long();
            AgentWorkMode? mode = modeCode == 0 ? null : (AgentWorkMode)(modeCode - 1);
            if (mode is { } m && !Enum.IsDefined(m)) throw new FormatException($"work mode {modeCode - 1} is unknown");
            var reason = reader.OptionalText();
            var time = reader.Long();
            if (reader.Offset != bytes.Length) throw new FormatException($"{bytes.Length - reader.Offset} bytes follow the record");
            error = null;
            // The few distinct tenants, queues, reasons, names and topics share one instance, as they do
            // when intake builds the event; otherwise every DN state would keep copies of its own.
            var pool = InternPool.Shared;
            return new RepartitionRecord(
                new VoiceEvent(pool.Intern(name), kind, pool.Intern(tenant), agent, thisDn, pool.Intern(thisQueue), otherDn, connId, mode,
                    pool.Intern(reason), time, new InputPosition(pool.Intern(topic), partition, offset)),
                key, timestamp);
        }
        catch (Exception e) when (e is FormatException or OverflowException or DecoderFallbackException)
        {
            error = $"byte {reader.Offset}: {e.Message}";
            return null;
        }
    }

    private static void WriteLong(ArrayBufferWriter<byte> buffer, long value)
    {
        var zigzag = (ulong)((value << 1) ^ (value >> 63));
        var span = buffer.GetSpan(10);
        var length = 0;
        while (zigzag >= 0x80)
        {
            span[length++] = (byte)(zigzag | 0x80);
            zigzag >>= 7;
        }
        span[length++] = (byte)zigzag;
        buffer.Advance(length);
    }

    private static void WriteText(ArrayBufferWriter<byte> buffer, string text)
    {
        WriteLong(buffer, Encoding.UTF8.GetByteCount(text));
        WriteUtf8(buffer, text);
    }

    private static void WriteOptionalText(ArrayBufferWriter<byte> buffer, string? text)
    {
        if (text is null)
        {
            WriteLong(buffer, 0);
            return;
        }
        WriteLong(buffer, Encoding.UTF8.GetByteCount(text) + 1L);
        WriteUtf8(buffer, text);
    }

    private static void WriteUtf8(ArrayBufferWriter<byte> buffer, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        buffer.Advance(written);
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        public int Offset;

        public long Long()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (Offset >= _bytes.Length) throw new FormatException("the record ends inside a number");
                var b = _bytes[Offset++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return (long)(value >> 1) ^ -(long)(value & 1);
            }
            throw new FormatException("a number is longer than 10 bytes");
        }

        public string Text() => Utf8(Length(Long()));

        public string? OptionalText()
        {
            var stored = Long();
            return stored == 0 ? null : Utf8(Length(stored - 1));
        }

        private int Length(long length)
        {
            if (length < 0 || length > _bytes.Length - Offset) throw new FormatException($"a text of {length} bytes does not fit in the record");
            return (int)length;
        }

        private string Utf8(int length)
        {
            var text = StrictUtf8.GetString(_bytes.Slice(Offset, length));
            Offset += length;
            return text;
        }
    }
}
