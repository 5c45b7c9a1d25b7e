using Microsoft.Extensions.VectorData.ProviderServices;
using MongoDB.Bson;
using MongoDB.Driver;

namespace AiAllin.SK.Connectors.MongoDB;

/// <summary>
/// The indexes of a collection: ascending indexes on indexed data properties, one text index over the full-text
/// properties, a TTL index on the expiry field, and the search indexes (vector search, MongoDB Search) where the
/// collection's modes use them. Creating them is idempotent: <c>createIndexes</c> accepts an identical index again,
/// and search indexes are created only when missing.
/// </summary>
internal sealed class MongoIndexes(CollectionModel model, MongoCollectionOptions options, bool expires, bool usesVectorIndex, bool usesSearchIndex)
{
    public const string TextIndexName = "text_index";
    public const string ExpiryIndexName = "ttl_index";

    /// <summary>The regular index models (rendered by the driver's own serializers in the tests).</summary>
    public List<CreateIndexModel<BsonDocument>> IndexModels()
    {
        var models = new List<CreateIndexModel<BsonDocument>>();
        foreach (var property in model.DataProperties.Where(p => p.IsIndexed))
        {
            models.Add(new CreateIndexModel<BsonDocument>(
                new BsonDocument(property.StorageName, 1), new CreateIndexOptions { Name = "ix_" + property.StorageName }));
        }

        var textFields = model.DataProperties.Where(p => p.IsFullTextIndexed && p.Type == typeof(string)).ToList();
        if (textFields.Count > 0)
        {
            var keys = new BsonDocument();
            foreach (var property in textFields)
            {
                keys[property.StorageName] = "text";
            }

            models.Add(new CreateIndexModel<BsonDocument>(keys, new CreateIndexOptions { Name = TextIndexName }));
        }

        if (expires)
        {
            // expireAfterSeconds 0: a document goes when the clock passes the date the field holds.
            models.Add(new CreateIndexModel<BsonDocument>(
                new BsonDocument(MongoNames.ExpiryField, 1), new CreateIndexOptions { Name = ExpiryIndexName, ExpireAfter = TimeSpan.Zero }));
        }

        return models;
    }

    /// <summary>
    /// The <c>vectorSearch</c> index definition: a <c>vector</c> field per vector property (dimensions and similarity from
    /// the model) and a <c>filter</c> field per indexed data property and for the expiry field, so filters and the expiry
    /// run as pre-filters.
    /// </summary>
    public BsonDocument VectorIndexDefinition()
    {
        var fields = new BsonArray();
        foreach (var vector in model.VectorProperties)
        {
            fields.Add(new BsonDocument
            {
                { "type", "vector" },
                { "path", vector.StorageName },
                { "numDimensions", vector.Dimensions },
                { "similarity", MongoScoring.IndexSimilarity(MongoScoring.DistanceFunctionOf(vector)) },
            });
        }

        foreach (var property in model.DataProperties.Where(p => p.IsIndexed))
        {
            fields.Add(new BsonDocument { { "type", "filter" }, { "path", property.StorageName } });
        }

        if (expires)
        {
            fields.Add(new BsonDocument { { "type", "filter" }, { "path", MongoNames.ExpiryField } });
        }

        return new BsonDocument("fields", fields);
    }

    /// <summary>The MongoDB Search index definition: the full-text properties as <c>string</c> fields, no dynamic mapping.</summary>
    public BsonDocument SearchIndexDefinition()
    {
        var fields = new BsonDocument();
        foreach (var property in model.DataProperties.Where(p => p.IsFullTextIndexed && p.Type == typeof(string)))
        {
            fields[property.StorageName] = new BsonDocument("type", "string");
        }

        return new BsonDocument("mappings", new BsonDocument { { "dynamic", false }, { "fields", fields } });
    }

    public async Task EnsureAsync(IMongoDatabase database, IMongoCollection<BsonDocument> collection, CancellationToken cancellationToken)
    {
        try
        {
            await database.CreateCollectionAsync(collection.CollectionNamespace.CollectionName, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (MongoCommandException e) when (e.Code == MongoErrors.NamespaceExistsCode)
        {
            // Another process (or an earlier call) created it: creation is idempotent.
        }

        var models = IndexModels();
        if (models.Count > 0)
        {
            try
            {
                await collection.Indexes.CreateManyAsync(models, cancellationToken).ConfigureAwait(false);
            }
            catch (MongoCommandException e) when (e.Code is MongoErrors.IndexOptionsConflictCode or MongoErrors.IndexKeySpecsConflictCode)
            {
                throw new InvalidOperationException(
                    $"Collection '{collection.CollectionNamespace.CollectionName}' already has an index of the same name with other keys or options " +
                    $"(a changed definition, or an index made by hand): {e.ErrorMessage}. Drop it, and this call creates the new one.", e);
            }
        }

        if (usesVectorIndex && model.VectorProperties.Count > 0)
        {
            await EnsureSearchIndexAsync(collection, options.VectorIndexName, SearchIndexType.VectorSearch, VectorIndexDefinition(), cancellationToken).ConfigureAwait(false);
        }

        if (usesSearchIndex && model.DataProperties.Any(p => p.IsFullTextIndexed))
        {
            await EnsureSearchIndexAsync(collection, options.SearchIndexName, SearchIndexType.Search, SearchIndexDefinition(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Creates the search index when no index of that name exists, then waits until the server reports it queryable
    /// (search indexes build asynchronously), failing clearly when it fails to build or the timeout passes.
    /// </summary>
    private async Task EnsureSearchIndexAsync(
        IMongoCollection<BsonDocument> collection, string name, SearchIndexType type, BsonDocument definition, CancellationToken cancellationToken)
    {
        if (await ReadSearchIndexAsync(collection, name, cancellationToken).ConfigureAwait(false) is null)
        {
            await collection.SearchIndexes.CreateOneAsync(new CreateSearchIndexModel(name, type, definition), cancellationToken).ConfigureAwait(false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.IndexReadyTimeout);
        var status = "unknown";
        try
        {
            while (true)
            {
                var index = await ReadSearchIndexAsync(collection, name, timeout.Token).ConfigureAwait(false);
                status = index?.GetValue("status", "PENDING").ToString() ?? "missing";
                if (index is not null && index.GetValue("queryable", false).ToBoolean())
                {
                    return;
                }

                if (status == "FAILED")
                {
                    throw new InvalidOperationException(
                        $"The {type} index '{name}' of collection '{collection.CollectionNamespace.CollectionName}' failed to build: {index}.");
                }

                await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"The {type} index '{name}' of collection '{collection.CollectionNamespace.CollectionName}' did not become queryable within " +
                $"{options.IndexReadyTimeout} (last status: {status}). It may still be building: raise MongoCollectionOptions.IndexReadyTimeout, or check the deployment's search nodes.");
        }
    }

    private static async Task<BsonDocument?> ReadSearchIndexAsync(IMongoCollection<BsonDocument> collection, string name, CancellationToken cancellationToken)
    {
        using var cursor = await collection.SearchIndexes.ListAsync(name, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await cursor.FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
    }
}
