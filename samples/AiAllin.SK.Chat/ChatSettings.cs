namespace AiAllin.SK.Chat;

/// <summary>The command line: <c>--provider</c>, <c>--store</c>, <c>--user</c>.</summary>
public sealed record ChatSettings(string Provider, string Store, string User)
{
    public const string Usage = """
        usage: AiAllin.SK.Chat [--provider openai|azure|groq|anthropic|ollama|compatible] [--store postgres|memory] [--user NAME]
          provider settings come from the usual variables: OPENAI_API_KEY / OPENAI_MODEL / OPENAI_BASE_URL,
          AZURE_OPENAI_ENDPOINT / AZURE_OPENAI_API_KEY / AZURE_OPENAI_DEPLOYMENT, GROQ_API_KEY / GROQ_MODEL,
          ANTHROPIC_API_KEY / ANTHROPIC_MODEL, OLLAMA_HOST / OLLAMA_MODEL,
          OPENAI_COMPATIBLE_BASE_URL / OPENAI_COMPATIBLE_MODEL / OPENAI_COMPATIBLE_API_KEY;
          the store is PostgreSQL when AIALLIN_POSTGRES_URL is set, in process otherwise.
        """;

    private static readonly string[] Providers = ["openai", "azure", "groq", "anthropic", "ollama", "compatible"];

    public static ChatSettings? Parse(string[] args, out string? error)
    {
        error = null;
        var provider = "openai";
        var store = string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("AIALLIN_POSTGRES_URL")) ? "memory" : "postgres";
        var user = Environment.UserName;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--provider" when value is not null && Providers.Contains(value):
                    provider = value;
                    i++;
                    break;
                case "--store" when value is "postgres" or "memory":
                    store = value;
                    i++;
                    break;
                case "--user" when !string.IsNullOrWhiteSpace(value):
                    user = value;
                    i++;
                    break;
                default:
                    error = $"unknown or incomplete argument '{args[i]}'";
                    return null;
            }
        }

        return new ChatSettings(provider, store, user);
    }
}
