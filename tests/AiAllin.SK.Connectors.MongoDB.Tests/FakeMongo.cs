using System.Reflection;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>
/// A stand-in for the driver's <see cref="IMongoDatabase"/> and <see cref="IMongoCollection{TDocument}"/>, only at the
/// seam where the store hands its commands to the driver: it records each call (collection, method and arguments) and
/// answers with what a test scripts (documents for cursors, update counts, or one of the driver's own exceptions).
/// </summary>
internal sealed class FakeMongo
{
    private readonly Dictionary<string, IMongoCollection<BsonDocument>> _collections = [];

    public FakeMongo(string collectionName = "coll")
    {
        Collection = CollectionNamed(collectionName);
        Database = DispatchProxy.Create<IMongoDatabase, Proxy>();
        ((Proxy)(object)Database).Handler = (method, args) => method.Name switch
        {
            "get_DatabaseNamespace" => new DatabaseNamespace("testdb"),
            "GetCollection" => CollectionNamed((string)args![0]!),
            _ => throw new NotSupportedException($"The fake database has no {method.Name}."),
        };
    }

    public IMongoDatabase Database { get; }

    public IMongoCollection<BsonDocument> Collection { get; }

    /// <summary>Gets every call, in order, with the collection it went to.</summary>
    public List<(string Collection, string Method, object?[] Args)> Log { get; } = [];

    /// <summary>Gets the calls (method and arguments), in order.</summary>
    public List<(string Method, object?[] Args)> Calls => [.. Log.Select(c => (c.Method, c.Args))];

    /// <summary>Gets or sets the documents every cursor returns, unless <see cref="FindResults"/> has a scripted answer.</summary>
    public List<BsonDocument> Documents { get; set; } = [];

    /// <summary>Gets the answers of the next finds, in order.</summary>
    public Queue<List<BsonDocument>> FindResults { get; } = new();

    /// <summary>Gets the modified counts of the next updates, in order (1 when none is scripted).</summary>
    public Queue<long> UpdateResults { get; } = new();

    /// <summary>Gets or sets the exception every call throws, if any.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Gets or sets the exception the next <c>InsertManyAsync</c> throws, if any.</summary>
    public Exception? InsertFailure { get; set; }

    private IMongoCollection<BsonDocument> CollectionNamed(string name)
    {
        if (!_collections.TryGetValue(name, out var collection))
        {
            collection = DispatchProxy.Create<IMongoCollection<BsonDocument>, Proxy>();
            ((Proxy)(object)collection).Handler = (method, args) => Handle(method, args, name);
            _collections[name] = collection;
        }

        return collection;
    }

    private object? Handle(MethodInfo method, object?[]? args, string collectionName)
    {
        switch (method.Name)
        {
            case "get_CollectionNamespace":
                return new CollectionNamespace("testdb", collectionName);
            case "get_Indexes":
                var indexes = DispatchProxy.Create<IMongoIndexManager<BsonDocument>, Proxy>();
                ((Proxy)(object)indexes).Handler = (m, a) =>
                {
                    Log.Add((collectionName, "Indexes." + m.Name, a ?? []));
                    return Task.FromResult<IEnumerable<string>>([]);
                };
                return indexes;
        }

        Log.Add((collectionName, method.Name, args ?? []));
        if (Failure is not null)
        {
            return method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
                ? typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!.MakeGenericMethod(method.ReturnType.GetGenericArguments()[0]).Invoke(null, [Failure])
                : throw Failure;
        }

        switch (method.Name)
        {
            case "FindAsync" or "AggregateAsync":
                return Task.FromResult<IAsyncCursor<BsonDocument>>(new ListCursor(FindResults.Count > 0 ? FindResults.Dequeue() : Documents));
            case "BulkWriteAsync":
                var requests = ((IEnumerable<WriteModel<BsonDocument>>)args![0]!).ToList();
                return Task.FromResult<BulkWriteResult<BsonDocument>>(new BulkWriteResult<BsonDocument>.Acknowledged(requests.Count, 0, 0, 0, 0, requests, []));
            case "UpdateOneAsync" or "UpdateManyAsync":
                var modified = UpdateResults.Count > 0 ? UpdateResults.Dequeue() : 1;
                return Task.FromResult<UpdateResult>(new UpdateResult.Acknowledged(modified, modified, null));
            case "InsertManyAsync" or "InsertOneAsync":
                var failure = InsertFailure;
                InsertFailure = null;
                return failure is null ? Task.CompletedTask : Task.FromException(failure);
            case "CountDocumentsAsync":
                return Task.FromResult((long)Documents.Count);
            case "DeleteManyAsync" or "DeleteOneAsync":
                return Task.FromResult<DeleteResult>(new DeleteResult.Acknowledged(0));
            default:
                throw new NotSupportedException($"The fake collection has no {method.Name}.");
        }
    }

    public class Proxy : DispatchProxy
    {
        public Func<MethodInfo, object?[]?, object?> Handler { get; set; } = (_, _) => null;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => Handler(targetMethod!, args);
    }

    private sealed class ListCursor(List<BsonDocument> documents) : IAsyncCursor<BsonDocument>
    {
        private bool _done;

        public IEnumerable<BsonDocument> Current { get; private set; } = [];

        public bool MoveNext(CancellationToken cancellationToken = default)
        {
            if (_done)
            {
                return false;
            }

            Current = documents;
            _done = true;
            return true;
        }

        public Task<bool> MoveNextAsync(CancellationToken cancellationToken = default) => Task.FromResult(MoveNext(cancellationToken));

        public void Dispose()
        {
        }
    }
}
