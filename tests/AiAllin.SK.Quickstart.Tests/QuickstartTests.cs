using System.Diagnostics;
using System.Reflection;
using AiAllin.SK.Testing.Servers;

namespace AiAllin.SK.Quickstart.Tests;

/// <summary>Runs the README's first command (the quickstart) as a user would and checks what it answers.</summary>
public sealed class QuickstartTests
{
    [Fact]
    public async Task Quickstart_RunsOffline_AndFindsTheRightArticles()
    {
        var (exitCode, output, errors) = await RunQuickstartAsync([]);

        Assert.True(exitCode == 0, $"the quickstart exited with {exitCode}:\n{errors}\n{output}");
        Assert.Contains("local embeddings + in-memory vector store", output);
        AssertFindsTheRightArticles(output);
        Assert.Contains("Set OPENAI_API_KEY", output);
    }

    [PostgresFact]
    public async Task Quickstart_WithPostgres_RunsTheSameDemoOnPgvector()
    {
        var (exitCode, output, errors) = await RunQuickstartAsync(new()
        {
            [TestServers.PostgresVariable] = TestServers.Require(TestServers.PostgresVariable),
        });

        Assert.True(exitCode == 0, $"the quickstart exited with {exitCode}:\n{errors}\n{output}");
        Assert.Contains("local embeddings + PostgreSQL + pgvector", output);
        AssertFindsTheRightArticles(output);
    }

    private static void AssertFindsTheRightArticles(string output)
    {
        Assert.Contains("Indexed 22 paragraphs from 8 articles", output);
        Assert.Contains("all-MiniLM-L6-v2, 384 dims", output);

        // The first semantic hit of each question is the article a person would pick, though the
        // questions share few words with it.
        Assert.Equal("Returns and refunds", FirstHit(output, "How long do I have to send something back?", "semantic"));
        Assert.Equal("E-bike battery care", FirstHit(output, "My bike goes less far when it is freezing outside", "semantic"));
        Assert.Equal("Subscription plans", FirstHit(output, "Can I switch to a cheaper subscription in the middle of the month?", "semantic"));
        Assert.Equal("Shipping and delivery", FirstHit(output, "The parcel has been stuck for days, what now?", "semantic"));
        Assert.Equal("Shipping and delivery", FirstHit(output, "The parcel has been stuck for days, what now?", "hybrid"));

        // The SK plugin call over the same collection.
        Assert.Contains("Privacy and your data: We store your data", output);
    }

    [Fact]
    public async Task Quickstart_WithAnOpenAICompatibleServer_StreamsAnAnswerGroundedInTheHits()
    {
        const string key = "sk-quickstart-test-5f0c2d9e7a1b4c3d";
        await using var server = new OpenAIChatWireServer("You have ", "30 days", " to send it back; ", "refunds arrive within 5 business days.");

        var (exitCode, output, errors) = await RunQuickstartAsync(new()
        {
            ["OPENAI_API_KEY"] = key,
            ["OPENAI_BASE_URL"] = server.BaseUrl,
            ["OPENAI_MODEL"] = "quickstart-model",
        });

        Assert.True(exitCode == 0, $"the quickstart exited with {exitCode}:\n{errors}\n{output}");
        Assert.Contains("You have 30 days to send it back; refunds arrive within 5 business days.", output);
        Assert.DoesNotContain(key, output + errors);

        var (authorization, body) = Assert.Single(server.Requests);
        Assert.Equal($"Bearer {key}", authorization);
        Assert.Equal("quickstart-model", body.RootElement.GetProperty("model").GetString());
        Assert.True(body.RootElement.GetProperty("stream").GetBoolean());
        var prompt = string.Concat(body.RootElement.GetProperty("messages").EnumerateArray()
            .Select(m => m.GetProperty("content").ToString()));
        Assert.Contains("You can send any product back within 30 days of delivery", prompt);
        Assert.Contains("Refunds go back to the original payment method", prompt);
    }

    private static string FirstHit(string output, string question, string label)
    {
        var lines = output.Split('\n');
        var start = Array.FindIndex(lines, l => l.Contains(question, StringComparison.Ordinal));
        Assert.True(start >= 0, $"question not in the output: {question}");
        var header = Array.FindIndex(lines, start, l => l.TrimStart().StartsWith(label, StringComparison.Ordinal));
        Assert.True(header > start, $"no {label} block after: {question}");
        var hit = lines[header + 1];
        var colon = hit.IndexOf(": ", StringComparison.Ordinal);
        Assert.True(colon > 0, $"no hit line after the {label} block of: {question}");
        // "<score> <bar> <article>: <text>"
        return hit[..colon].Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries)[2];
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunQuickstartAsync(Dictionary<string, string> environment)
    {
        var dll = Path.GetFullPath(typeof(QuickstartTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "QuickstartDll").Value!);
        Assert.True(File.Exists(dll), $"quickstart not built at {dll}");

        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["NO_COLOR"] = "1";
        start.Environment.Remove("AIALLIN_POSTGRES_URL");
        start.Environment.Remove("OPENAI_API_KEY");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }
}
