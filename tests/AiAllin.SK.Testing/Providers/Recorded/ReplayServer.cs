using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AiAllin.SK.Testing.Providers.Recorded;

/// <summary>
/// A loopback HTTP server that answers each request with the next recorded reply, byte for byte, and records what
/// it was asked. Raw string literals are written with LF line ends, which is what the providers send.
/// </summary>
public sealed class ReplayServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Queue<RecordedReply> _replies;
    private readonly Task _loop;
    private readonly List<(string Path, string Body)> _requests = [];

    private ReplayServer(HttpListener listener, Uri baseAddress, IEnumerable<RecordedReply> replies)
    {
        _listener = listener;
        BaseAddress = baseAddress;
        _replies = new Queue<RecordedReply>(replies);
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseAddress { get; }

    public IReadOnlyList<(string Path, string Body)> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static ReplayServer Start(params RecordedReply[] replies)
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            var prefix = $"http://127.0.0.1:{port}/";
            listener.Prefixes.Add(prefix);
            try
            {
                listener.Start();
                return new ReplayServer(listener, new Uri(prefix), replies);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }
        catch (HttpListenerException)
        {
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            RecordedReply? reply;
            lock (_requests)
            {
                _requests.Add((context.Request.Url?.PathAndQuery ?? string.Empty, body));
                _replies.TryDequeue(out reply);
            }

            reply ??= new RecordedReply(599, """{"error":{"message":"replay exhausted"}}""");
            var response = context.Response;
            response.StatusCode = reply.Status;
            response.ContentType = reply.ContentType;
            foreach (var (name, value) in reply.Headers)
            {
                response.Headers[name] = value;
            }

            var bytes = Encoding.UTF8.GetBytes(reply.Body.ReplaceLineEndings("\n"));
            if (reply.ChunkSize <= 0)
            {
                response.ContentLength64 = bytes.Length;
                await response.OutputStream.WriteAsync(bytes);
            }
            else
            {
                response.SendChunked = true;
                for (var offset = 0; offset < bytes.Length; offset += reply.ChunkSize)
                {
                    await response.OutputStream.WriteAsync(bytes.AsMemory(offset, Math.Min(reply.ChunkSize, bytes.Length - offset)));
                    await response.OutputStream.FlushAsync();
                }
            }

            response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away (a test that stops reading early); nothing to answer.
        }
    }
}
