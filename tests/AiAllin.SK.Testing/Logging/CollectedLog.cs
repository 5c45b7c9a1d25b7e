using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Testing.Logging;

/// <summary>One logged entry.</summary>
/// <param name="Category">The logger category.</param>
/// <param name="Level">The level.</param>
/// <param name="EventId">The event id.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="State">The structured state values as <c>key=value</c> pairs.</param>
/// <param name="Exception">The exception text, if any.</param>
public sealed record CollectedLog(string Category, LogLevel Level, EventId EventId, string Message, string State, string? Exception)
{
    /// <summary>Gets everything this entry carries as one text.</summary>
    public string FullText => $"{Category} [{Level}] {EventId} {Message} | {State} | {Exception}";
}
