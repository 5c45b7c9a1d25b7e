using System.Reflection;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>
/// A stand-in for the driver's <see cref="IMongoDatabase"/> and <see cref="IMongoCollection{TDocument}"/>, only at the
/// seam where the store hands its commands to the driver: it records each call (method and arguments) and answers
/// with what a test scripts (documents for cursors, or one of the driver's own exceptions).
/// </summary>
internal sealed class FakeMongo
{
    public FakeMongo(string collectionName = "coll")
    {
        Collection = DispatchProxy.Create<IMongoCollection<BsonDocument>, Proxy>();
        ((Proxy)(object)Collection).Handler = (method, args) => Handle(method, args, collectionName);
        Database = DispatchProxy.Create<IMongoDatabase, Proxy>();
        ((Proxy)(object)Database).Handler = (method, _) => method.Name switch
        {
            "get_DatabaseNamespace" => new DatabaseNamespace("testdb"),
            "GetCollection" => Collection,
            _ => throw new NotSupportedException($"The fake database has no {method.Name}."),
        };
    }

    public IMongoDatabase Database { get; }

    public IMongoCollection<BsonDocument> Collection { get; }

    public List<(string Method, object?[] Args)> Calls { get; } = [];

    /// <summary>Gets or sets the documents the next cursor returns.</summary>
    public List<BsonDocument> Documents { get; set; } = [];

    /// <summary>Gets or sets the exception every call throws, if any.</summary>
    public Exception? Failure { get; set; }

    private object? Handle(MethodInfo method, object?[]? args, string collectionName)
    {
        if (method.Name == "get_CollectionNamespace")
        {
            return new CollectionNamespace("testdb", collectionName);
        }

        Calls.Add((method.Name, args ?? []));
        if (Failure is not null)
        {
            return method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
                ? typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!.MakeGenericMethod(method.ReturnType.GetGenericArguments()[0]).Invoke(null, [Failure])
                : throw Failure;
        }

        return method.Name switch
        {
            "FindAsync" or "AggregateAsync" => Task.FromResult<IAsyncCursor<BsonDocument>>(new ListCursor(Documents)),
            "BulkWriteAsync" => Task.FromResult<BulkWriteResult<BsonDocument>>(new BulkWriteResult<BsonDocument>.Acknowledged(
                ((IEnumerable<WriteModel<BsonDocument>>)args![0]!).Count(), 0, 0, 0, 0, [.. (IEnumerable<WriteModel<BsonDocument>>)args[0]!], [])),
            _ => throw new NotSupportedException($"The fake collection has no {method.Name}."),
        };
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
