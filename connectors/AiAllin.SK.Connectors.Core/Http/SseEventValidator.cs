using System.Text;
using System.Text.Json;

namespace AiAllin.SK.Connectors.Core.Http;

/// <summary>
/// What one provider counts as a bad server-sent event: the error events it sends mid-stream and the data it cannot
/// read. <see cref="SseGuardStream"/> asks it about every event before the SDK above sees the event; a REST client
/// that frames SSE itself asks it about each <see cref="SseEvent"/> of an <see cref="SseEventReader"/>, or calls
/// <see cref="Validate(string, ReadOnlySpan{byte}, int)"/> from a <see cref="System.Net.ServerSentEvents.SseParser"/>
/// item parser.
/// </summary>
/// <remarks>
/// A validator is stateless and shared by every stream of a client. The exceptions it builds name the provider and
/// the offending event (redacted and shortened) and are raised after every earlier event was delivered.
/// </remarks>
public abstract class SseEventValidator
{
    private const string ChunkKind = "event";
    private const int StackEventTypeLength = 64;

    /// <summary>Creates a validator.</summary>
    /// <param name="provider">The provider name used in exceptions and logs.</param>
    /// <param name="apiKey">The key, removed from any event text that ends up in an exception.</param>
    protected SseEventValidator(string provider, string? apiKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        Provider = provider;
        ApiKey = apiKey;
    }

    /// <summary>Gets the provider name used in exceptions and logs.</summary>
    public string Provider { get; }

    /// <summary>Gets the key removed from exception texts.</summary>
    internal string? ApiKey { get; }

    /// <summary>Checks one event.</summary>
    /// <param name="sseEvent">The event.</param>
    /// <returns>
    /// <see langword="null"/> when the event may pass; otherwise the exception that ends the stream: a
    /// <see cref="ProviderException"/> for an error the server reported, a <see cref="ProviderStreamException"/> for
    /// data that cannot be read.
    /// </returns>
    public abstract ProviderException? Validate(SseEvent sseEvent);

    /// <summary>Checks one event given as <see cref="System.Net.ServerSentEvents.SseParser"/> reports it.</summary>
    /// <param name="eventType">The event type (<c>message</c> when the server named none).</param>
    /// <param name="data">The event data.</param>
    /// <param name="number">The 1-based position among the stream's events.</param>
    /// <returns>As <see cref="Validate(SseEvent)"/>.</returns>
    public ProviderException? Validate(string eventType, ReadOnlySpan<byte> data, int number)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        var byteCount = Encoding.UTF8.GetByteCount(eventType);
        var typeBytes = byteCount <= StackEventTypeLength ? stackalloc byte[StackEventTypeLength] : new byte[byteCount];
        var written = Encoding.UTF8.GetBytes(eventType, typeBytes);
        return Validate(new SseEvent(typeBytes[..written], data, number));
    }

    /// <summary>
    /// Returns data to send on in place of an event's data, for a provider whose SDK cannot read a valid event as the
    /// server sends it; <see langword="null"/> (the default) passes the event unchanged.
    /// </summary>
    /// <param name="sseEvent">An event that passed <see cref="Validate(SseEvent)"/>.</param>
    /// <returns>The replacement data (one JSON value, no line breaks), or <see langword="null"/>.</returns>
    public virtual byte[]? Rewrite(SseEvent sseEvent) => null;

    /// <summary>Builds the exception for an event whose data cannot be read.</summary>
    /// <param name="sseEvent">The event.</param>
    /// <param name="cause">The parse failure.</param>
    /// <returns>The exception, naming the provider, the event number and the redacted data.</returns>
    protected ProviderStreamException Malformed(SseEvent sseEvent, Exception? cause)
        => new(Provider, SecretRedactor.Redact(Encoding.UTF8.GetString(sseEvent.Data), ApiKey), sseEvent.Number, ChunkKind, cause);

    /// <summary>Builds the exception for an error the server reported in the stream.</summary>
    /// <param name="sseEvent">The event carrying the error.</param>
    /// <returns>The exception carrying the server's code and message.</returns>
    protected ProviderException ServerError(SseEvent sseEvent) => ProviderException.FromStreamError(Provider, sseEvent.Data);

    /// <summary>Reads a whole JSON value and anything after it; returns the parse failure, or <see langword="null"/> when it is one valid value.</summary>
    /// <param name="json">The UTF-8 JSON.</param>
    /// <returns>The failure, or <see langword="null"/>.</returns>
    protected static JsonException? CheckJson(ReadOnlySpan<byte> json)
    {
        // The fast scan settles the common case; the reader confirms a rejection and words the failure.
        if (JsonSyntax.IsValid(json))
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException ex)
        {
            return ex;
        }
    }
}
