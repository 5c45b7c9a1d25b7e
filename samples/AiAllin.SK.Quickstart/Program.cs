// AiAllin.SK quickstart: semantic and hybrid search over a small help centre, fully offline.
// One line per capability on the Semantic Kernel builder; everything below is plain SK / VectorData code.
using System.Diagnostics;
using AiAllin.SK.Connectors.Core.Streaming;
using AiAllin.SK.Connectors.HuggingFace;
using AiAllin.SK.Connectors.InMemory;
using AiAllin.SK.Connectors.OpenAI;
using AiAllin.SK.Connectors.Postgres;
using AiAllin.SK.Filters;
using AiAllin.SK.Quickstart;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.Data;

var builder = Kernel.CreateBuilder()
    .AddLocalEmbeddingGenerator();  // bundled all-MiniLM-L6-v2 on ONNX Runtime: no key, no network

// The same code runs on PostgreSQL + pgvector when AIALLIN_POSTGRES_URL is set, in process otherwise.
var postgres = Environment.GetEnvironmentVariable("AIALLIN_POSTGRES_URL");
var storeName = string.IsNullOrWhiteSpace(postgres) ? "in-memory vector store" : "PostgreSQL + pgvector";
if (string.IsNullOrWhiteSpace(postgres))
{
    builder.AddAiAllinInMemoryVectorStore(); // Microsoft.Extensions.VectorData store, SIMD exact search
}
else
{
    builder.AddAiAllinPostgresVectorStore(postgres); // HNSW index, full-text + vector hybrid search in one SQL statement
}

// Optional: a chat model for the last step, read from OPENAI_API_KEY (plus OPENAI_BASE_URL for any OpenAI-compatible
// server, OPENAI_MODEL), with retries and a first-token / total timeout from the filter pack.
var hasChatModel = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OPENAI_API_KEY"));
if (hasChatModel)
{
    builder
        .AddOpenAIChatClient(o => o.Model = Environment.GetEnvironmentVariable("OPENAI_MODEL") ?? "gpt-4o-mini")
        .AddAiAllinFilters(f => f
            .UseRetry()
            .UseTimeout(o => { o.FirstToken = TimeSpan.FromSeconds(30); o.Total = TimeSpan.FromMinutes(2); }));
}

var kernel = builder.Build();

Ui.Banner("AiAllin.SK quickstart", $"local embeddings + {storeName}, no API key, no network");

var generator = kernel.Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
var model = generator.GetService<EmbeddingGeneratorMetadata>();
var collection = kernel.Services.GetRequiredService<VectorStore>().GetCollection<string, DocChunk>("help_centre");
await collection.EnsureCollectionExistsAsync();

var chunks = DocumentLoader.Load(Path.Combine(AppContext.BaseDirectory, "docs"));
var clock = Stopwatch.StartNew();
await collection.UpsertAsync(chunks);   // the store embeds each chunk's text with the registered generator
Ui.Line($"Indexed {chunks.Count} paragraphs from {chunks.Select(c => c.Article).Distinct().Count()} articles " +
        $"in {clock.Elapsed.TotalSeconds:0.0} s  ({model?.DefaultModelId}, {model?.DefaultModelDimensions} dims)");

string[] questions =
[
    "How long do I have to send something back?",
    "My bike goes less far when it is freezing outside",
    "Can I switch to a cheaper subscription in the middle of the month?",
    "The parcel has been stuck for days, what now?",
];

var hybrid = (IKeywordHybridSearchable<DocChunk>)collection;
foreach (var question in questions)
{
    Ui.Question(question);

    clock.Restart();
    var semantic = await collection.SearchAsync(question, top: 3).ToListAsync();
    Ui.Hits("semantic", semantic.Select(r => (r.Score ?? 0, r.Record.Article, r.Record.Text)), clock.Elapsed);

    var keywords = Keywords.From(question);
    clock.Restart();
    var fused = await hybrid.HybridSearchAsync(question, keywords, top: 3).ToListAsync();
    Ui.Hits($"hybrid [{string.Join(' ', keywords)}]", fused.Select(r => (r.Score ?? 0, r.Record.Article, r.Record.Text)), clock.Elapsed);
}

// The same collection as a Semantic Kernel plugin: any prompt or agent can now search the help centre.
var textSearch = new VectorStoreTextSearch<DocChunk>(collection);
kernel.Plugins.Add(textSearch.CreateWithGetTextSearchResults("HelpCentre"));
var answer = await kernel.InvokeAsync("HelpCentre", "GetTextSearchResults",
    new KernelArguments { ["query"] = "Is my data sold to advertisers?", ["count"] = 1 });
Ui.Question("Is my data sold to advertisers?   (through kernel.InvokeAsync on the HelpCentre plugin)");
foreach (var result in answer.GetValue<List<TextSearchResult>>() ?? [])
{
    Ui.Line($"  {result.Name}: {result.Value}");
}

// Retrieval-augmented answer: the hits go into the prompt, the model's answer streams back token by token.
const string rag = "How long do I have to send something back, and when do I get my money?";
if (!hasChatModel)
{
    Ui.Line("");
    Ui.Line("Set OPENAI_API_KEY (and OPENAI_BASE_URL for any OpenAI-compatible server) to have a model answer from these hits.");
}
else
{
    var context = string.Join('\n', (await collection.SearchAsync(rag, top: 3).ToListAsync())
        .Select(hit => $"- [{hit.Record.Article}] {hit.Record.Text}"));
    var chat = kernel.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>();
    Ui.Question($"{rag}   (answer streamed by {chat?.DefaultModelId} at {chat?.ProviderUri?.Authority})");
    Console.Write("  ");
    var response = await kernel.StreamPromptAsync(
        """
        Answer the customer's question using only these help-centre passages. Be brief.
        {{$context}}
        Question: {{$question}}
        """,
        token => Console.Write(token.Text),
        new KernelArguments { ["context"] = context, ["question"] = rag },
        StreamBuffering.PerWord);
    Console.WriteLine();
    Ui.Line($"  ({response.Usage?.OutputTokenCount ?? 0} tokens, finish: {response.FinishReason})");
}

Ui.Line("");
Ui.Line("Next: README.md shows how to add these packages to your own Semantic Kernel app.");
