using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Testing.Logging;

/// <summary>
/// A logger provider that keeps every message (at every level, with exception text and scope/state values) so tests
/// can assert what was logged, and that a secret never was.
/// </summary>
public sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CollectedLog> _entries = new();

    /// <summary>Gets the entries logged so far, in order.</summary>
    public IReadOnlyList<CollectedLog> Entries => [.. _entries];

    /// <summary>Gets every entry's full text (category, message, state values, exception) joined by new lines.</summary>
    public string AllText => string.Join('\n', _entries.Select(e => e.FullText));

    /// <summary>Creates a logger factory that writes only to this provider, at every level.</summary>
    /// <returns>The factory.</returns>
    public ILoggerFactory CreateFactory() => LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(this));

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private sealed class Logger(string category, CollectingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull
        {
            owner._entries.Enqueue(new CollectedLog(category, LogLevel.Trace, default, $"scope: {Describe(state)}", Describe(state), null));
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._entries.Enqueue(new CollectedLog(category, logLevel, eventId, formatter(state, exception), Describe(state), exception?.ToString()));

        private static string Describe<TState>(TState state) =>
            state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}"))
                : state?.ToString() ?? string.Empty;
    }
}
