using System.Text.Json;
using AiAllin.SK.Connectors.Core.Sessions;
using AiAllin.SK.Connectors.Core.Streaming;
using Microsoft.Extensions.AI;
using Microsoft.SemanticKernel;
using FunctionCallContent = Microsoft.Extensions.AI.FunctionCallContent;
using FunctionResultContent = Microsoft.Extensions.AI.FunctionResultContent;
using TextContent = Microsoft.Extensions.AI.TextContent;

namespace AiAllin.SK.Chat;

/// <summary>The read-answer loop: user lines become streamed turns; lines starting with '/' are commands.</summary>
public sealed class ChatApp(Kernel kernel, IChatHistoryStore store, ChatSettings settings, TextReader input, TextWriter output)
{
    private readonly ChatSessionRunner _runner = new(kernel, store, new ChatSessionRunnerOptions
    {
        // Keep the prompt within a budget while the session keeps every message.
        Reducer = new TokenBudgetChatHistoryReducer(6000),
    });

    private readonly Lock _turnLock = new();
    private CancellationTokenSource? _turn;
    private string _sessionId = "";

    public async Task<int> RunAsync()
    {
        var model = kernel.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>();
        output.WriteLine($"AiAllin.SK chat - {settings.Provider} ({model?.DefaultModelId}), sessions {(settings.Store == "postgres" ? "on PostgreSQL" : "in memory")}, user {settings.User}");
        await OpenLatestSessionAsync();
        output.WriteLine("Commands: /new /sessions /history /forget /quit. Ctrl+C stops an answer.");
        Console.CancelKeyPress += OnCancelKeyPress;
        try
        {
            while (true)
            {
                output.Write("> ");
                output.Flush();
                var line = await input.ReadLineAsync();
                if (line is null || line.Trim() == "/quit")
                {
                    return 0;
                }

                if (line.Trim().Length == 0)
                {
                    continue;
                }

                if (line.StartsWith('/'))
                {
                    await CommandAsync(line.Trim());
                }
                else
                {
                    await TurnAsync(line);
                }
            }
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKeyPress;
        }
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        lock (_turnLock)
        {
            if (_turn is { } turn)
            {
                // Stop the answer, not the app.
                e.Cancel = true;
                turn.Cancel();
            }
        }
    }

    private async Task TurnAsync(string text)
    {
        using var cancellation = new CancellationTokenSource();
        lock (_turnLock)
        {
            _turn = cancellation;
        }

        try
        {
            var result = await _runner.RunStreamAsync(_sessionId, text, Show, cancellation.Token);
            output.WriteLine();
            output.WriteLine($"  [{result.Response.Usage?.OutputTokenCount ?? 0} tokens, session version {result.Version}]");
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            output.WriteLine();
            output.WriteLine("  [answer cancelled; nothing of this turn was saved]");
        }
        catch (ChatStreamException ex)
        {
            output.WriteLine();
            output.WriteLine($"  [the answer failed after {ex.DeliveredCount} pieces: {ex.InnerException?.Message}; nothing of this turn was saved]");
        }
        catch (ChatSessionNotFoundException)
        {
            output.WriteLine("  [the session has expired; starting a new one]");
            await NewSessionAsync();
        }
        finally
        {
            lock (_turnLock)
            {
                _turn = null;
            }
        }
    }

    private void Show(StreamToken token)
    {
        switch (token.Phase)
        {
            case StreamPhase.ToolCall when token.Content is FunctionCallContent call:
                output.WriteLine();
                output.WriteLine($"  ... calling tool {call.Name}({JsonSerializer.Serialize(call.Arguments)})");
                break;
            case StreamPhase.ToolResult when token.Content is FunctionResultContent result:
                output.WriteLine($"  ... tool returned {result.Result}");
                break;
            case StreamPhase.Reasoning:
                break;
            default:
                output.Write(token.Text);
                output.Flush();
                break;
        }
    }

    private async Task CommandAsync(string command)
    {
        switch (command)
        {
            case "/new":
                await NewSessionAsync();
                break;
            case "/sessions":
                await foreach (var session in store.ListAsync(settings.User))
                {
                    var mark = session.Id == _sessionId ? "*" : " ";
                    output.WriteLine($" {mark} {session.Id}  {session.Version,4} messages  updated {session.UpdatedAt:yyyy-MM-dd HH:mm:ss}");
                }

                break;
            case "/history":
                var current = await store.GetAsync(_sessionId);
                foreach (var message in current?.Messages ?? [])
                {
                    output.WriteLine($"  {message.Role}: {Describe(message)}");
                }

                break;
            case "/forget":
                await store.DeleteAsync(_sessionId);
                output.WriteLine($"  [session {_sessionId} deleted]");
                await NewSessionAsync();
                break;
            default:
                output.WriteLine("  commands: /new /sessions /history /forget /quit");
                break;
        }
    }

    private static string Describe(ChatMessage message) => string.Join(" ", message.Contents.Select(content => content switch
    {
        FunctionCallContent call => $"[calls {call.Name}({JsonSerializer.Serialize(call.Arguments)})]",
        FunctionResultContent result => $"[{result.Result}]",
        TextContent text => text.Text,
        _ => $"[{content.GetType().Name}]",
    }));

    private async Task OpenLatestSessionAsync()
    {
        await foreach (var session in store.ListAsync(settings.User, new ChatSessionQuery { Take = 1 }))
        {
            _sessionId = session.Id;
            output.WriteLine($"Resumed session {session.Id} ({session.Version} messages).");
            return;
        }

        await NewSessionAsync();
    }

    private async Task NewSessionAsync()
    {
        var session = await store.CreateAsync(new ChatSessionCreateOptions { OwnerId = settings.User });
        _sessionId = session.Id;
        output.WriteLine($"New session {session.Id}.");
    }
}
