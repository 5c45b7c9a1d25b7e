using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace AiAllin.SK.Quickstart.Tests;

/// <summary>The terminal chat sample as its own process, driven through stdin, its stdout collected as it comes.</summary>
internal sealed class ChatProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _errors = new();

    private readonly Task _readers;

    private ChatProcess(Process process)
    {
        _process = process;

        // Read characters, not lines: a streamed answer and the "> " prompt stay on an unfinished line.
        _readers = Task.WhenAll(PumpAsync(process.StandardOutput, _output), PumpAsync(process.StandardError, _errors));
    }

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public static ChatProcess Start(Dictionary<string, string> environment, params string[] args)
    {
        var dll = Path.GetFullPath(typeof(ChatProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ChatDll").Value!);
        Assert.True(File.Exists(dll), $"chat sample not built at {dll}");
        var start = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        foreach (var name in new[] { "AIALLIN_POSTGRES_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_COMPATIBLE_API_KEY" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return new ChatProcess(Process.Start(start)!);
    }

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    public async Task WaitForAsync(string text, int occurrences = 1)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (Count(Output, text) < occurrences)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"the chat exited ({_process.ExitCode}) before printing '{text}':\n{Output}\n{Errors}");
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    public async Task<int> ExitAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        await _readers;
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static int Count(string haystack, string needle)
    {
        var count = 0;
        for (var at = haystack.IndexOf(needle, StringComparison.Ordinal); at >= 0; at = haystack.IndexOf(needle, at + needle.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder target)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (target)
            {
                target.Append(buffer, 0, read);
            }
        }
    }
}
