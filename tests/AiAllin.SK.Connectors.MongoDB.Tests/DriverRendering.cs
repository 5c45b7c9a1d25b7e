using System.Net;
using System.Reflection;
using MongoDB.Bson;
using MongoDB.Bson.IO;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Servers;

namespace AiAllin.SK.Connectors.MongoDB.Tests;

/// <summary>Renders definitions with the driver's own serializers, and builds the driver's own error types.</summary>
internal static class DriverRendering
{
    public static readonly ConnectionId Connection = new(new ServerId(new ClusterId(), new DnsEndPoint("localhost", 27017)));

    private static RenderArgs<BsonDocument> Args => new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);

    public static BsonDocument Render(FilterDefinition<BsonDocument> filter) => filter.Render(Args);

    public static BsonDocument Render(IndexKeysDefinition<BsonDocument> keys) => keys.Render(Args);

    public static BsonDocument Render(SortDefinition<BsonDocument> sort) => sort.Render(Args);

    public static BsonDocument Render(ProjectionDefinition<BsonDocument> projection) => projection.Render(Args);

    public static BsonDocument Render(ProjectionDefinition<BsonDocument, BsonDocument> projection) => projection.Render(Args).Document;

    public static List<BsonDocument> Render(PipelineDefinition<BsonDocument, BsonDocument> pipeline) => [.. pipeline.Render(Args).Documents];

    /// <summary>Relaxed extended JSON, the form the MongoDB manual prints documents in.</summary>
    public static string Json(BsonValue value) => value.ToJson(new JsonWriterSettings { OutputMode = JsonOutputMode.RelaxedExtendedJson });

    /// <summary>Builds a <see cref="WriteError"/> or <see cref="BulkWriteError"/>: their constructors are internal to the driver.</summary>
    public static T Error<T>(params object?[] args)
        where T : class
        => (T)typeof(T).GetConstructors(BindingFlags.NonPublic | BindingFlags.Instance).Single(c => c.GetParameters().Length == args.Length).Invoke(args);

    public static BulkWriteError BulkError(int index, int code, string message)
        => Error<BulkWriteError>(index, code == 11000 ? ServerErrorCategory.DuplicateKey : ServerErrorCategory.Uncategorized, code, message, new BsonDocument());

    public static MongoBulkWriteException<BsonDocument> BulkFailure(IReadOnlyList<WriteModel<BsonDocument>> requests, IEnumerable<BulkWriteError> errors, WriteConcernError? writeConcernError = null)
        => new(Connection, new BulkWriteResult<BsonDocument>.Acknowledged(requests.Count, 0, 0, 0, 0, requests, []), errors, writeConcernError, []);

    public static MongoCommandException CommandFailure(int code, string codeName, string message)
        => new(Connection, message, new BsonDocument("ping", 1), new BsonDocument { { "ok", 0 }, { "code", code }, { "codeName", codeName }, { "errmsg", message } });
}
