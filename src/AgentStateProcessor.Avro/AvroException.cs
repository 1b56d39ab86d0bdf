namespace AgentStateProcessor.Avro;

/// <summary>Any failure of the Avro codec: invalid values on encode, malformed data on decode, bad framing.</summary>
public class AvroException : Exception
{
    public AvroException(string message) : base(message) { }

    public AvroException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>A schema that does not parse or breaks the Avro 1.11 specification.</summary>
public sealed class AvroSchemaException : AvroException
{
    public AvroSchemaException(string message) : base(message) { }

    public AvroSchemaException(string message, Exception innerException) : base(message, innerException) { }
}
