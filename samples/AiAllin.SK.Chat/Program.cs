// AiAllin.SK chat: an interactive, streaming terminal chat on any configured provider, with sessions that persist.
using AiAllin.SK.Chat;
using AiAllin.SK.Connectors.Anthropic;
using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.InMemory;
using AiAllin.SK.Connectors.Ollama;
using AiAllin.SK.Connectors.OpenAI;
using AiAllin.SK.Connectors.Postgres;
using AiAllin.SK.Filters;
using Microsoft.SemanticKernel;

var settings = ChatSettings.Parse(args, out var error);
if (settings is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(ChatSettings.Usage);
    return 2;
}

var builder = Kernel.CreateBuilder();
try
{
    _ = settings.Provider switch
    {
        "azure" => builder.AddAzureOpenAIChatClient(),
        "groq" => builder.AddGroqChatClient(),
        "anthropic" => builder.AddAnthropicChatClient(),
        "ollama" => builder.AddOllamaChatClient(),
        "compatible" => builder.AddOpenAICompatibleChatClient(),
        _ => builder.AddOpenAIChatClient(),
    };
}
catch (InvalidOperationException ex)
{
    // Registration validates the settings and names what is missing (never the key's value).
    Console.Error.WriteLine($"{settings.Provider}: {ex.Message}");
    Console.Error.WriteLine(ChatSettings.Usage);
    return 2;
}

if (settings.Store == "postgres")
{
    builder.AddPostgresChatHistoryStore(Environment.GetEnvironmentVariable("AIALLIN_POSTGRES_URL")
        ?? throw new InvalidOperationException("--store postgres needs AIALLIN_POSTGRES_URL."));
}
else
{
    builder.AddInMemoryChatHistoryStore();
}

builder.AddAiAllinFilters(f => f
    .UseRetry()
    .UseTimeout(o => { o.FirstToken = TimeSpan.FromSeconds(60); o.Idle = TimeSpan.FromSeconds(30); }));
builder.Plugins.AddFromType<ClockPlugin>("clock");

var kernel = builder.Build();
var app = new ChatApp(kernel, kernel.GetRequiredService<IChatHistoryStore>(), settings, Console.In, Console.Out);
return await app.RunAsync();
