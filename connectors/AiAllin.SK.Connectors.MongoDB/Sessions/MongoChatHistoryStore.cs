using System.Runtime.CompilerServices;
using AiAllin.SK.Connectors.Core.Sessions;
using Microsoft.Extensions.AI;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Sessions;

/// <summary>
/// An <see cref="IChatHistoryStore"/> on MongoDB: one document per session (<c>&lt;prefix&gt;_sessions</c>, holding its
/// version) and one per message (<c>&lt;prefix&gt;_messages</c>, with its per-session sequence under a unique
/// <c>(session, seq)</c> index). TTL indexes delete expired sessions and their messages; reads hide them at once.
/// </summary>
/// <remarks>
/// An append needs no transaction, so it works on a standalone server too: the writer claims the session at the version
/// it read (a conditional update that only one writer wins), inserts its messages, then moves the version forward and
/// releases the claim. Readers only see messages up to the version, so a half-written batch is never visible; a claim
/// left by a writer that died is taken back after <see cref="PendingLease"/>, its messages deleted first.
/// </remarks>
public sealed class MongoChatHistoryStore : IChatHistoryStore
{
    /// <summary>How long a claim by a writer that stopped (crashed, lost its connection) blocks the session.</summary>
    internal static readonly TimeSpan PendingLease = TimeSpan.FromSeconds(30);

    private readonly IMongoCollection<BsonDocument> _sessions;
    private readonly IMongoCollection<BsonDocument> _messages;
    private readonly int _maxMessageBytes;
    private readonly IChatContentProtector? _protector;
    private readonly TimeProvider _timeProvider;
    private readonly Lazy<Task> _schema;

    /// <summary>Initializes a new store in <paramref name="database"/>.</summary>
    /// <param name="database">The database (its client's pool is used).</param>
    /// <param name="options">Size limit, content protector and clock; <see langword="null"/> for the defaults.</param>
    /// <param name="collectionPrefix">The prefix of the two collection names. Defaults to <c>chat</c>.</param>
    public MongoChatHistoryStore(IMongoDatabase database, ChatHistoryStoreOptions? options = null, string collectionPrefix = "chat")
    {
        ArgumentNullException.ThrowIfNull(database);
        MongoNames.ValidateCollectionName(collectionPrefix, nameof(collectionPrefix));
        options ??= new ChatHistoryStoreOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxMessageBytes, "options.MaxMessageBytes");
        ArgumentNullException.ThrowIfNull(options.TimeProvider, "options.TimeProvider");
        _maxMessageBytes = options.MaxMessageBytes;
        _protector = options.ContentProtector;
        _timeProvider = options.TimeProvider;
        _sessions = database.GetCollection<BsonDocument>(collectionPrefix + "_sessions");
        _messages = database.GetCollection<BsonDocument>(collectionPrefix + "_messages");
        _schema = new(() => MongoChatHistorySchema.EnsureAsync(_sessions, _messages));
    }

    /// <summary>Gets the collection of message documents (for tests and administration).</summary>
    internal IMongoCollection<BsonDocument> Messages => _messages;

    /// <inheritdoc />
    public async Task<ChatSessionInfo> CreateAsync(ChatSessionCreateOptions options, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateCreateOptions(options);
        await EnsureSchemaAsync().ConfigureAwait(false);

        var now = Now();
        var id = options.Id ?? Guid.NewGuid().ToString("N");
        var expiresAt = options.TimeToLive is { } ttl ? Truncate(now + ttl) : options.ExpiresAt is { } e ? Truncate(e) : (DateTimeOffset?)null;
        var document = new BsonDocument
        {
            { "_id", id },
            { "owner", options.OwnerId },
            { "tenant", (BsonValue?)options.TenantId ?? BsonNull.Value },
            { "title", (BsonValue?)options.Title ?? BsonNull.Value },
            { "metadata", new BsonArray((options.Metadata ?? new Dictionary<string, string>()).Select(m => new BsonDocument { { "k", m.Key }, { "v", m.Value } })) },
            { "createdAt", Date(now) },
            { "updatedAt", Date(now) },
            { "expiresAt", expiresAt is { } x ? Date(x) : BsonNull.Value },
            { "version", 0L },
        };

        return await MongoChatHistoryErrors.RunAsync(id, async () =>
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await _sessions.InsertOneAsync(document, cancellationToken: cancellationToken).ConfigureAwait(false);
                    return ToInfo(document);
                }
                catch (MongoWriteException e) when (MongoErrors.IsDuplicateKey(e) && attempt == 0)
                {
                    // An expired session of the same id is replaced; a live one is not.
                    var removed = await _sessions.DeleteOneAsync(And(ById(id), Expired(now)), cancellationToken).ConfigureAwait(false);
                    if (removed.DeletedCount == 0)
                    {
                        throw ChatSessionAlreadyExistsException.ForSession(id, e);
                    }

                    await _messages.DeleteManyAsync(new BsonDocument("session", new BsonDocument("$eq", id)), cancellationToken).ConfigureAwait(false);
                }
                catch (MongoWriteException e) when (MongoErrors.IsDuplicateKey(e))
                {
                    throw ChatSessionAlreadyExistsException.ForSession(id, e);
                }
            }
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public bool SupportsEarlierSystemMessages => true;

    /// <inheritdoc />
    public async Task<ChatSession?> GetAsync(string sessionId, ChatHistoryReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateSessionId(sessionId);
        ChatHistoryValidator.ValidateReadOptions(options);

        var (info, stored, earlierStored) = await MongoChatHistoryErrors.RunAsync(sessionId, async () =>
        {
            var session = await FindLiveAsync(sessionId, cancellationToken).ConfigureAwait(false);
            if (session is null)
            {
                return (null, [], []);
            }

            var version = session["version"].ToInt64();
            var after = Math.Min(options?.AfterVersion ?? 0, version);
            var start = after;
            if (options?.MaxMessages is { } max)
            {
                start = Math.Max(start, version - max);
            }

            var filter = new BsonDocument { { "session", new BsonDocument("$eq", sessionId) }, { "seq", new BsonDocument { { "$gt", start }, { "$lte", version } } } };
            var find = new FindOptions<BsonDocument> { Sort = new BsonDocument("seq", 1), Projection = new BsonDocument { { "seq", 1 }, { "payload", 1 } } };
            using var cursor = await _messages.FindAsync(filter, find, cancellationToken).ConfigureAwait(false);
            var rows = await cursor.ToListAsync(cancellationToken).ConfigureAwait(false);
            if (rows.Count != version - start)
            {
                throw new ChatHistoryException(
                    $"Session '{sessionId}' is at version {version} but {rows.Count} of its messages {start + 1}..{version} are stored; it was changed outside the store.");
            }

            List<BsonDocument> earlier = [];
            if (options?.IncludeEarlierSystemMessages == true && start > after)
            {
                using var earlierCursor = await _messages.FindAsync(EarlierSystemMessagesFilter(sessionId, after, start), find, cancellationToken).ConfigureAwait(false);
                earlier = await earlierCursor.ToListAsync(cancellationToken).ConfigureAwait(false);
            }

            return ((ChatSessionInfo?)ToInfo(session), rows, earlier);
        }).ConfigureAwait(false);

        if (info is null)
        {
            return null;
        }

        return new ChatSession
        {
            Info = info,
            Messages = [.. stored.Select(row => ReadMessage(row, sessionId))],
            FirstSequence = stored.Count == 0 ? info.Version + 1 : stored[0]["seq"].ToInt64(),

            // Documents written without the mark match the filter too; their role decides.
            EarlierSystemMessages = [.. earlierStored.Select(row => ReadMessage(row, sessionId)).Where(ChatSession.IsSystemMessage)],
        };
    }

    // Messages after `after` and up to `start` that are system messages, or were written before messages carried the
    // mark (no "system" field).
    internal static BsonDocument EarlierSystemMessagesFilter(string sessionId, long after, long start) => new()
    {
        { "session", new BsonDocument("$eq", sessionId) },
        { "seq", new BsonDocument { { "$gt", after }, { "$lte", start } } },
        { "system", new BsonDocument("$ne", false) },
    };

    private ChatMessage ReadMessage(BsonDocument row, string sessionId) =>
        ChatMessageSerializer.Deserialize(row["payload"].AsByteArray, _protector, sessionId, row["seq"].ToInt64());

    /// <inheritdoc />
    public async Task<long> AppendAsync(string sessionId, IEnumerable<ChatMessage> messages, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateSessionId(sessionId);
        ChatHistoryValidator.ValidateExpectedVersion(expectedVersion);
        var serialized = ChatHistoryValidator.SerializeMessages(messages, _maxMessageBytes, out var systemMessages);
        await EnsureSchemaAsync().ConfigureAwait(false);

        return await MongoChatHistoryErrors.RunAsync(sessionId, async () =>
        {
            while (true)
            {
                var session = await FindLiveAsync(sessionId, cancellationToken).ConfigureAwait(false) ?? throw ChatSessionNotFoundException.ForSession(sessionId);
                var version = session["version"].ToInt64();
                if (expectedVersion is { } expected && expected != version)
                {
                    throw new ChatHistoryConcurrencyException(sessionId, expected, version);
                }

                if (serialized.Count == 0)
                {
                    return version;
                }

                if (session.GetValue("pending", BsonNull.Value) is BsonDocument pending)
                {
                    await WaitOrRecoverAsync(sessionId, pending, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (await TryAppendAsync(sessionId, version, session["expiresAt"], serialized, systemMessages, cancellationToken).ConfigureAwait(false))
                {
                    return version + serialized.Count;
                }
            }
        }).ConfigureAwait(false);
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
        return MongoChatHistoryErrors.RunAsync(sessionId, async () =>
        {
            var now = Now();
            var deleted = await _sessions.FindOneAndDeleteAsync(ById(sessionId), cancellationToken: cancellationToken).ConfigureAwait(false);
            await _messages.DeleteManyAsync(new BsonDocument("session", new BsonDocument("$eq", sessionId)), CancellationToken.None).ConfigureAwait(false);
            return deleted is not null && !IsExpired(deleted, now);
        });
    }

    /// <inheritdoc />
    public Task<bool> SetExpiryAsync(string sessionId, DateTimeOffset? expiresAt, CancellationToken cancellationToken = default)
    {
        ChatHistoryValidator.ValidateSessionId(sessionId);
        var value = expiresAt is { } e ? Date(Truncate(e)) : (BsonValue)BsonNull.Value;
        return MongoChatHistoryErrors.RunAsync(sessionId, async () =>
        {
            // Messages first: the TTL monitor must never delete them while their session still lives.
            var update = new BsonDocument("$set", new BsonDocument("expiresAt", value));
            await _messages.UpdateManyAsync(new BsonDocument("session", new BsonDocument("$eq", sessionId)), update, cancellationToken: cancellationToken).ConfigureAwait(false);
            var result = await _sessions.UpdateOneAsync(And(ById(sessionId), Live(Now())), update, cancellationToken: cancellationToken).ConfigureAwait(false);
            return result.MatchedCount > 0;
        });
    }

    /// <summary>Deletes expired sessions and their messages now (the TTL monitor does it about once a minute).</summary>
    /// <inheritdoc />
    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken = default)
        => MongoChatHistoryErrors.RunAsync(null, async () =>
        {
            var now = Now();
            using var cursor = await _sessions.FindAsync(Expired(now), new FindOptions<BsonDocument> { Projection = new BsonDocument("_id", 1) }, cancellationToken).ConfigureAwait(false);
            var ids = (await cursor.ToListAsync(cancellationToken).ConfigureAwait(false)).Select(d => d["_id"]).ToList();
            if (ids.Count == 0)
            {
                return 0;
            }

            var inIds = new BsonDocument("$in", new BsonArray(ids));
            var deleted = await _sessions.DeleteManyAsync(And(new BsonDocument("_id", inIds), Expired(now)), cancellationToken).ConfigureAwait(false);
            await _messages.DeleteManyAsync(new BsonDocument("session", inIds), cancellationToken).ConfigureAwait(false);
            return (int)deleted.DeletedCount;
        });

    private async Task<bool> TryAppendAsync(string sessionId, long version, BsonValue expiresAt, IReadOnlyList<byte[]> serialized, IReadOnlyList<bool> systemMessages, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        var now = Now();
        var claim = new BsonDocument("$set", new BsonDocument("pending", new BsonDocument { { "token", token }, { "at", Date(now) } }));
        var claimFilter = And(ById(sessionId), Live(now), new BsonDocument { { "version", new BsonDocument("$eq", version) }, { "pending", new BsonDocument("$eq", BsonNull.Value) } });
        var claimed = await _sessions.UpdateOneAsync(claimFilter, claim, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (claimed.ModifiedCount == 0)
        {
            return false;
        }

        var documents = new List<BsonDocument>(serialized.Count);
        for (var i = 0; i < serialized.Count; i++)
        {
            var sequence = version + 1 + i;
            var payload = _protector is null ? serialized[i] : _protector.Protect(serialized[i], sessionId, sequence);
            documents.Add(new BsonDocument
            {
                { "session", sessionId },
                { "seq", sequence },
                { "payload", new BsonBinaryData(payload) },
                { "system", systemMessages[i] },
                { "batch", token },
                { "expiresAt", expiresAt },
            });
        }

        try
        {
            await _messages.InsertManyAsync(documents, new InsertManyOptions { IsOrdered = true }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MongoException or OperationCanceledException or TimeoutException)
        {
            // Nothing of the batch becomes visible: the claim goes first, then whatever part of the batch was inserted.
            if (await ReleaseAsync(sessionId, token).ConfigureAwait(false))
            {
                await _messages.DeleteManyAsync(new BsonDocument("batch", new BsonDocument("$eq", token)), CancellationToken.None).ConfigureAwait(false);
            }

            if (MongoErrors.IsDuplicateKey(e))
            {
                // Messages a dead writer left behind that a recovery has not deleted yet: try again.
                return false;
            }

            throw;
        }

        var commit = new BsonDocument
        {
            { "$set", new BsonDocument { { "version", version + serialized.Count }, { "updatedAt", Date(Now()) } } },
            { "$unset", new BsonDocument("pending", string.Empty) },
        };
        var committed = await _sessions.UpdateOneAsync(
            And(ById(sessionId), new BsonDocument("pending.token", new BsonDocument("$eq", token))), commit, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        if (committed.ModifiedCount == 0)
        {
            await _messages.DeleteManyAsync(new BsonDocument("batch", new BsonDocument("$eq", token)), CancellationToken.None).ConfigureAwait(false);
            throw new ChatHistoryException(
                $"Appending to session '{sessionId}' took longer than {PendingLease.TotalSeconds} s, so another writer took the session back; nothing was appended. Retry the append.");
        }

        return true;
    }

    /// <summary>Waits for another writer's claim, or takes back one older than the lease: the claim first, then its messages.</summary>
    private async Task WaitOrRecoverAsync(string sessionId, BsonDocument pending, CancellationToken cancellationToken)
    {
        var at = pending["at"].ToUniversalTime();
        if (Now().UtcDateTime - at < PendingLease)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(2, 20)), cancellationToken).ConfigureAwait(false);
            return;
        }

        var token = pending["token"].AsString;
        if (await ReleaseAsync(sessionId, token).ConfigureAwait(false))
        {
            await _messages.DeleteManyAsync(new BsonDocument("batch", new BsonDocument("$eq", token)), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<bool> ReleaseAsync(string sessionId, string token)
    {
        var result = await _sessions.UpdateOneAsync(
            And(ById(sessionId), new BsonDocument("pending.token", new BsonDocument("$eq", token))),
            new BsonDocument("$unset", new BsonDocument("pending", string.Empty)),
            cancellationToken: CancellationToken.None).ConfigureAwait(false);
        return result.ModifiedCount > 0;
    }

    private async IAsyncEnumerable<ChatSessionInfo> ListCoreAsync(string ownerId, ChatSessionQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = new BsonDocument("owner", new BsonDocument("$eq", ownerId));
        if (query.TenantId is not null)
        {
            filter["tenant"] = new BsonDocument("$eq", query.TenantId);
        }

        var options = new FindOptions<BsonDocument>
        {
            Sort = new BsonDocument { { "updatedAt", -1 }, { "_id", 1 } },
            Skip = query.Skip,
            Limit = query.Take,
        };
        var rows = MongoErrors.StreamAsync(ReadAsync(And(filter, Live(Now())), options, cancellationToken), "ListSessions", _sessions.CollectionNamespace.CollectionName, cancellationToken);
        await foreach (var row in rows.ConfigureAwait(false))
        {
            yield return ToInfo(row);
        }
    }

    private async IAsyncEnumerable<BsonDocument> ReadAsync(BsonDocument filter, FindOptions<BsonDocument> options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var cursor = await _sessions.FindAsync(filter, options, cancellationToken).ConfigureAwait(false);
        while (await cursor.MoveNextAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var document in cursor.Current)
            {
                yield return document;
            }
        }
    }

    private async Task<BsonDocument?> FindLiveAsync(string sessionId, CancellationToken cancellationToken)
    {
        using var cursor = await _sessions.FindAsync(And(ById(sessionId), Live(Now())), cancellationToken: cancellationToken).ConfigureAwait(false);
        return await cursor.FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task EnsureSchemaAsync() => _schema.Value;

    private static ChatSessionInfo ToInfo(BsonDocument document) => new()
    {
        Id = document["_id"].AsString,
        OwnerId = document["owner"].AsString,
        TenantId = document["tenant"].IsBsonNull ? null : document["tenant"].AsString,
        Title = document["title"].IsBsonNull ? null : document["title"].AsString,
        Metadata = document["metadata"].AsBsonArray.ToDictionary(m => m["k"].AsString, m => m["v"].AsString, StringComparer.Ordinal),
        CreatedAt = new DateTimeOffset(document["createdAt"].ToUniversalTime()),
        UpdatedAt = new DateTimeOffset(document["updatedAt"].ToUniversalTime()),
        ExpiresAt = document["expiresAt"].IsBsonNull ? null : new DateTimeOffset(document["expiresAt"].ToUniversalTime()),
        Version = document["version"].ToInt64(),
    };

    private static bool IsExpired(BsonDocument session, DateTimeOffset now)
        => session["expiresAt"] is { IsValidDateTime: true } expiry && expiry.ToUniversalTime() <= now.UtcDateTime;

    private static BsonDocument ById(string id) => new("_id", new BsonDocument("$eq", id));

    private static BsonDocument Live(DateTimeOffset now) => MongoPipelines.NotExpired("expiresAt", now.UtcDateTime);

    private static BsonDocument Expired(DateTimeOffset now) => new("expiresAt", new BsonDocument("$lte", Date(now)));

    private static BsonDocument And(params BsonDocument[] conditions) => MongoPipelines.And(conditions);

    private static BsonDateTime Date(DateTimeOffset value) => new(value.UtcDateTime);

    private DateTimeOffset Now() => Truncate(_timeProvider.GetUtcNow());

    // BSON dates hold milliseconds; truncating here makes every returned time equal the stored one.
    private static DateTimeOffset Truncate(DateTimeOffset value) => new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
