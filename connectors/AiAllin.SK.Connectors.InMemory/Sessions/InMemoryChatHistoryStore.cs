using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Runtime.CompilerServices;
using AiAllin.SK.Connectors.Core.Sessions;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.InMemory.Sessions;

/// <summary>
/// An <see cref="IChatHistoryStore"/> in process memory: thread-safe, messages kept serialized (and protected when a
/// <see cref="ChatHistoryStoreOptions.ContentProtector"/> is set), expiry by <see cref="ChatHistoryStoreOptions.TimeProvider"/>.
/// Everything is lost when the process ends; use it for development, tests and single-process apps.
/// </summary>
public sealed class InMemoryChatHistoryStore : IChatHistoryStore
{
    private readonly ConcurrentDictionary<string, SessionState> _sessions = new(StringComparer.Ordinal);
    private readonly int _maxMessageBytes;
    private readonly IChatContentProtector? _protector;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an empty store.</summary>
    /// <param name="options">Size limit, content protector and clock; <see langword="null"/> for the defaults.</param>
    public InMemoryChatHistoryStore(ChatHistoryStoreOptions? options = null)
    {
        options ??= new ChatHistoryStoreOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxMessageBytes, "options.MaxMessageBytes");
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
        _maxMessageBytes = options.MaxMessageBytes;
        _protector = options.ContentProtector;
        _timeProvider = options.TimeProvider;
    }

    /// <inheritdoc />
    public Task<ChatSessionInfo> CreateAsync(ChatSessionCreateOptions options, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateCreateOptions(options);
        cancellationToken.ThrowIfCancellationRequested();

        var now = Now();
        var id = options.Id ?? Guid.NewGuid().ToString("N");
        var expiresAt = options.TimeToLive is { } ttl ? now + ttl : options.ExpiresAt;
        var state = new SessionState(
            id,
            options.OwnerId,
            options.TenantId,
            options.Title,
            options.Metadata is { Count: > 0 } metadata ? metadata.ToFrozenDictionary(StringComparer.Ordinal) : FrozenDictionary<string, string>.Empty,
            now,
            expiresAt is { } e ? Truncate(e) : null);

        while (!_sessions.TryAdd(id, state))
        {
            if (!_sessions.TryGetValue(id, out var existing))
            {
                continue;
            }

            lock (existing.Gate)
            {
                if (!existing.Removed && !existing.IsExpired(now))
                {
                    throw ChatSessionAlreadyExistsException.ForSession(id);
                }

                existing.Removed = true;
            }

            if (_sessions.TryUpdate(id, state, existing))
            {
                break;
            }
        }

        lock (state.Gate)
        {
            return Task.FromResult(state.Snapshot());
        }
    }

    /// <inheritdoc />
    public bool SupportsEarlierSystemMessages => true;

    /// <inheritdoc />
    public Task<ChatSession?> GetAsync(string sessionId, ChatHistoryReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateSessionId(sessionId);
        ChatHistoryValidator.ValidateReadOptions(options);
        cancellationToken.ThrowIfCancellationRequested();

        if (!_sessions.TryGetValue(sessionId, out var state))
        {
            return Task.FromResult<ChatSession?>(null);
        }

        ChatSessionInfo info;
        byte[][] payloads;
        long first;
        (int Index, byte[] Payload)[] earlier = [];
        lock (state.Gate)
        {
            if (state.Removed || state.IsExpired(Now()))
            {
                return Task.FromResult<ChatSession?>(null);
            }

            info = state.Snapshot();
            var count = state.Payloads.Count;
            var after = (int)Math.Min(options?.AfterVersion ?? 0, count);
            var start = after;
            if (options?.MaxMessages is { } max)
            {
                start = Math.Max(start, count - max);
            }

            payloads = new byte[count - start][];
            state.Payloads.CopyTo(start, payloads, 0, payloads.Length);
            first = start + 1;
            if (options?.IncludeEarlierSystemMessages == true && start > after)
            {
                earlier = [.. state.SystemIndices.Where(i => i >= after && i < start).Select(i => (i, state.Payloads[i]))];
            }
        }

        var messages = new ChatMessage[payloads.Length];
        for (var i = 0; i < payloads.Length; i++)
        {
            messages[i] = Read(payloads[i], sessionId, first + i);
        }

        return Task.FromResult<ChatSession?>(new ChatSession
        {
            Info = info,
            Messages = messages,
            FirstSequence = messages.Length == 0 ? info.Version + 1 : first,
            EarlierSystemMessages = earlier.Length == 0 ? [] : [.. earlier.Select(e => Read(e.Payload, sessionId, e.Index + 1))],
        });
    }

    private ChatMessage Read(byte[] payload, string sessionId, long sequence) =>
        ChatMessageSerializer.Deserialize(payload, _protector, sessionId, sequence);

    /// <inheritdoc />
    public Task<long> AppendAsync(string sessionId, IEnumerable<ChatMessage> messages, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateSessionId(sessionId);
        ChatHistoryValidator.ValidateExpectedVersion(expectedVersion);
        var serialized = ChatHistoryValidator.SerializeMessages(messages, _maxMessageBytes, out var systemMessages);
        cancellationToken.ThrowIfCancellationRequested();

        if (!_sessions.TryGetValue(sessionId, out var state))
        {
            throw ChatSessionNotFoundException.ForSession(sessionId);
        }

        lock (state.Gate)
        {
            var now = Now();
            if (state.Removed || state.IsExpired(now))
            {
                throw ChatSessionNotFoundException.ForSession(sessionId);
            }

            long version = state.Payloads.Count;
            if (expectedVersion is { } expected && expected != version)
            {
                throw new ChatHistoryConcurrencyException(sessionId, expected, version);
            }

            if (serialized.Count == 0)
            {
                return Task.FromResult(version);
            }

            // Protecting under the lock is what binds each message to the sequence it really gets.
            var stored = new byte[serialized.Count][];
            for (var i = 0; i < stored.Length; i++)
            {
                stored[i] = _protector is null ? serialized[i] : _protector.Protect(serialized[i], sessionId, version + 1 + i);
            }

            for (var i = 0; i < systemMessages.Count; i++)
            {
                if (systemMessages[i])
                {
                    state.SystemIndices.Add(state.Payloads.Count + i);
                }
            }

            state.Payloads.AddRange(stored);
            state.UpdatedAt = now;
            return Task.FromResult((long)state.Payloads.Count);
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ChatSessionInfo> ListAsync(string ownerId, ChatSessionQuery? query = null, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateOwnerId(ownerId);
        ChatHistoryValidator.ValidateQuery(query);
        return ListCoreAsync(ownerId, query ?? new ChatSessionQuery(), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateSessionId(sessionId);
        cancellationToken.ThrowIfCancellationRequested();

        if (!_sessions.TryGetValue(sessionId, out var state))
        {
            return Task.FromResult(false);
        }

        bool wasLive;
        lock (state.Gate)
        {
            wasLive = !state.Removed && !state.IsExpired(Now());
            state.Removed = true;
        }

        _sessions.TryRemove(new KeyValuePair<string, SessionState>(sessionId, state));
        return Task.FromResult(wasLive);
    }

    /// <inheritdoc />
    public Task<bool> SetExpiryAsync(string sessionId, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateSessionId(sessionId);
        cancellationToken.ThrowIfCancellationRequested();

        if (!_sessions.TryGetValue(sessionId, out var state))
        {
            return Task.FromResult(false);
        }

        lock (state.Gate)
        {
            if (state.Removed || state.IsExpired(Now()))
            {
                return Task.FromResult(false);
            }

            state.ExpiresAt = expiresAt is { } e ? Truncate(e) : null;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = Now();
        var purged = 0;
        foreach (var (id, state) in _sessions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lock (state.Gate)
            {
                if (state.Removed || !state.IsExpired(now))
                {
                    continue;
                }

                state.Removed = true;
            }

            if (_sessions.TryRemove(new KeyValuePair<string, SessionState>(id, state)))
            {
                purged++;
            }
        }

        return Task.FromResult(purged);
    }

    /// <summary>Gets the stored bytes of one message, as a database row would hold them.</summary>
    internal byte[] GetStoredMessage(string sessionId, long sequence)
    {
        var state = _sessions[sessionId];
        lock (state.Gate)
        {
            return state.Payloads[checked((int)sequence - 1)];
        }
    }

    /// <summary>Overwrites the stored bytes of one message behind the store's back, as a database administrator could.</summary>
    internal void SetStoredMessage(string sessionId, long sequence, byte[] payload)
    {
        var state = _sessions[sessionId];
        lock (state.Gate)
        {
            state.Payloads[checked((int)sequence - 1)] = payload;
        }
    }

    private async IAsyncEnumerable<ChatSessionInfo> ListCoreAsync(string ownerId, ChatSessionQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var now = Now();
        var matches = new List<ChatSessionInfo>();
        foreach (var state in _sessions.Values)
        {
            if (!string.Equals(state.OwnerId, ownerId, StringComparison.Ordinal)
                || (query.TenantId is not null && !string.Equals(state.TenantId, query.TenantId, StringComparison.Ordinal)))
            {
                continue;
            }

            lock (state.Gate)
            {
                if (!state.Removed && !state.IsExpired(now))
                {
                    matches.Add(state.Snapshot());
                }
            }
        }

        var page = matches
            .OrderByDescending(s => s.UpdatedAt)
            .ThenBy(s => s.Id, StringComparer.Ordinal)
            .Skip(query.Skip)
            .Take(query.Take);
        foreach (var info in page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return info;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private DateTimeOffset Now() => Truncate(_timeProvider.GetUtcNow());

    // Databases keep microseconds; truncating here makes this store return what they return.
    private static DateTimeOffset Truncate(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % 10), TimeSpan.Zero);

    private sealed class SessionState(
        string id,
        string ownerId,
        string? tenantId,
        string? title,
        FrozenDictionary<string, string> metadata,
        DateTimeOffset createdAt,
        DateTimeOffset? expiresAt)
    {
        public Lock Gate { get; } = new();

        public string OwnerId { get; } = ownerId;

        public string? TenantId { get; } = tenantId;

        public List<byte[]> Payloads { get; } = [];

        // The indices into Payloads of the system messages, ascending, for reads of a recent window.
        public List<int> SystemIndices { get; } = [];

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset UpdatedAt { get; set; } = createdAt;

        public DateTimeOffset? ExpiresAt { get; set; } = expiresAt;

        // Set under the lock when the session is deleted, purged or replaced, so a writer holding it learns it is gone.
        public bool Removed { get; set; }

        public bool IsExpired(DateTimeOffset now) => ExpiresAt <= now;

        public ChatSessionInfo Snapshot() => new()
        {
            Id = id,
            OwnerId = OwnerId,
            TenantId = TenantId,
            Title = title,
            Metadata = metadata,
            CreatedAt = CreatedAt,
            UpdatedAt = UpdatedAt,
            ExpiresAt = ExpiresAt,
            Version = Payloads.Count,
        };
    }
}
