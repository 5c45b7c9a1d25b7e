namespace AiAllin.SK.Connectors.InMemory.Tests;

internal static class Stores
{
    public static async Task<InMemoryCollection<string, Product>> ProductsAsync(InMemoryVectorStore? store = null)
    {
        var collection = (store ?? new InMemoryVectorStore()).GetCollection<string, Product>("products-" + Guid.NewGuid().ToString("N"));
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }

    public static Product Product(string id, int price, params float[] vector) => new()
    {
        Id = id,
        Name = "name-" + id,
        Price = price,
        InStock = price % 2 == 0,
        Tags = [id, "all"],
        Embedding = vector,
    };
}
