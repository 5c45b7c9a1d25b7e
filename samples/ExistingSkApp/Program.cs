// An existing Semantic Kernel app that adds AiAllin.SK from its packages: the OpenAI-compatible provider, the PostgreSQL
// vector store and the filter pack, with Microsoft's own SK OpenAI connector referenced beside them.
using AiAllin.SK.Connectors.OpenAI;
using AiAllin.SK.Connectors.Postgres;
using AiAllin.SK.Filters;
using ExistingSkApp;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Connectors.OpenAI;

var baseUrl = Environment.GetEnvironmentVariable("OPENAI_BASE_URL");
var postgres = Environment.GetEnvironmentVariable("AIALLIN_POSTGRES_URL");
if (string.IsNullOrWhiteSpace(baseUrl) || string.IsNullOrWhiteSpace(postgres))
{
    Console.Error.WriteLine("Set OPENAI_BASE_URL (an OpenAI-compatible server, e.g. http://127.0.0.1:1234/v1) and AIALLIN_POSTGRES_URL.");
    return 2;
}

var builder = Kernel.CreateBuilder();
builder.AddOpenAICompatibleChatClient(o =>
{
    o.Endpoint = new Uri(baseUrl);
    o.Model = Environment.GetEnvironmentVariable("OPENAI_MODEL") ?? "local-model";
    o.ApiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
});
builder.AddAiAllinPostgresVectorStore(postgres);
builder.AddAiAllinFilters(f => f
    .UseLogging()
    .UseRetry()
    .UseTimeout(TimeSpan.FromSeconds(60)));
var kernel = builder.Build();

var collectionName = $"existing_app_orders_{Guid.NewGuid():N}"[..28];
var orders = kernel.GetRequiredService<VectorStore>().GetCollection<string, OrderRecord>(collectionName);
await orders.EnsureCollectionExistsAsync();
try
{
    await orders.UpsertAsync(new OrderRecord { Id = "A-1001", Status = "shipped on Monday, arriving Thursday", Embedding = new[] { 1f, 0f, 0f } });
    var plugin = new OrderPlugin(orders);
    kernel.Plugins.AddFromObject(plugin, "Orders");

    // Microsoft's own settings type, from Microsoft.SemanticKernel.Connectors.OpenAI, drives our provider unchanged.
    var settings = new OpenAIPromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
    var chunks = 0;
    await foreach (var chunk in kernel.InvokePromptStreamingAsync("Where is my order A-1001?", new KernelArguments(settings)))
    {
        Console.Write(chunk);
        chunks++;
    }

    Console.WriteLine();
    Console.WriteLine($"streamed chunks: {chunks}, plugin calls: {plugin.Calls}");
    return plugin.Calls > 0 && chunks > 0 ? 0 : 1;
}
finally
{
    await orders.EnsureCollectionDeletedAsync();
}
