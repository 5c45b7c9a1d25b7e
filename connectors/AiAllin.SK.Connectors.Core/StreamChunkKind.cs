namespace AiAllin.SK.Connectors.Core;

/// <summary>What a stream reader should do with one chunk.</summary>
internal enum StreamChunkKind
{
    Value,
    Error,
    Malformed,
}
