using System.Globalization;
using AiAllin.SK.Connectors.Core;

namespace AiAllin.SK.Filters.Resilience;

/// <summary>
/// A streamed response failed after some updates had already been delivered to the caller. Retrying or falling back
/// would repeat that output, so the resilience policies surface this instead; the original failure is the
/// <see cref="Exception.InnerException"/>. It is never transient.
/// </summary>
public sealed class StreamInterruptedException : ProviderException
{
    /// <summary>Creates an exception with a default message.</summary>
    public StreamInterruptedException()
        : base("A streamed response failed after updates were delivered.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    /// <param name="message">The message; it is redacted.</param>
    public StreamInterruptedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    /// <param name="message">The message; it is redacted.</param>
    /// <param name="innerException">The cause.</param>
    public StreamInterruptedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a stream that failed after <paramref name="deliveredUpdates"/> updates.</summary>
    /// <param name="provider">The provider name.</param>
    /// <param name="deliveredUpdates">How many updates the caller had received.</param>
    /// <param name="innerException">The failure.</param>
    public StreamInterruptedException(string provider, int deliveredUpdates, Exception innerException)
        : base(provider, ComposeMessage(provider, deliveredUpdates, innerException), innerException)
    {
        DeliveredUpdates = deliveredUpdates;
    }

    /// <summary>Gets how many updates the caller had received before the failure.</summary>
    public int DeliveredUpdates { get; }

    private static string ComposeMessage(string provider, int deliveredUpdates, Exception? innerException)
    {
        ArgumentNullException.ThrowIfNull(innerException);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{provider} stream failed after {deliveredUpdates} update(s) were delivered; it was not retried because that would repeat output. {innerException.GetType().Name}: {innerException.Message}");
    }
}
