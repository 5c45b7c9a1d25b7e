using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// A Kestrel server on loopback that speaks one provider's documented wire format. Tests queue
/// <see cref="ScriptedReply"/>s; each request takes the next one (or, with none left, a 500 saying so), is recorded in
/// <see cref="Requests"/>, and is answered in the format the subclass writes from the provider's public API reference.
/// </summary>
/// <remarks>
/// The server notices when a client goes away mid-response (<see cref="Disconnects"/>,
/// <see cref="WaitForDisconnectAsync"/>), so tests can check that cancelling or abandoning a stream releases the
/// connection. Start one with <see cref="StartAsync{TServer}"/>; dispose it to stop.
/// </remarks>
public abstract class WireServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<Func<RecordedRequest, ScriptedReply>> _replies = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly SemaphoreSlim _disconnectSignal = new(0);
    private WebApplication? _app;
    private int _disconnects;

    /// <summary>Gets the provider this server imitates, for messages.</summary>
    public abstract string ProviderName { get; }

    /// <summary>Gets the server's root address, for example <c>http://127.0.0.1:43121/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Gets the requests received so far, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Gets how many responses the client abandoned before the server finished writing them.</summary>
    public int Disconnects => Volatile.Read(ref _disconnects);

    /// <summary>Gets how many scripted replies are still queued.</summary>
    public int PendingReplies => _replies.Count;

    /// <summary>Starts a server of the given format on a free loopback port.</summary>
    /// <typeparam name="TServer">The format.</typeparam>
    /// <returns>The started server.</returns>
    public static async Task<TServer> StartAsync<TServer>()
        where TServer : WireServer, new()
    {
        var server = new TServer();
        await server.StartCoreAsync().ConfigureAwait(false);
        return server;
    }

    /// <summary>Queues replies, answered in order by the next requests.</summary>
    /// <param name="replies">The replies.</param>
    /// <returns>This server.</returns>
    public WireServer Enqueue(params ScriptedReply[] replies)
    {
        foreach (var reply in replies)
        {
            _replies.Enqueue(_ => reply);
        }

        return this;
    }

    /// <summary>
    /// Queues a reply made when its request arrives, from the request's neutral view; use it when the reply depends on
    /// what the client sent (for example the name a framework gave a tool).
    /// </summary>
    /// <param name="replyFactory">Makes the reply.</param>
    /// <returns>This server.</returns>
    public WireServer Enqueue(Func<WireRequestView, ScriptedReply> replyFactory)
    {
        ArgumentNullException.ThrowIfNull(replyFactory);
        _replies.Enqueue(request => replyFactory(Describe(request)));
        return this;
    }

    /// <summary>Reads a recorded chat request in neutral terms.</summary>
    /// <param name="request">A request this server recorded.</param>
    /// <returns>The neutral view.</returns>
    public abstract WireRequestView Describe(RecordedRequest request);

    /// <summary>Waits until the server has seen at least <paramref name="count"/> abandoned responses.</summary>
    /// <param name="count">The number of disconnects to wait for.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns><see langword="true"/> when seen in time.</returns>
    public async Task<bool> WaitForDisconnectAsync(int count = 1, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Disconnects < count)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _disconnectSignal.WaitAsync(left).ConfigureAwait(false))
            {
                return Disconnects >= count;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _app.StopAsync(stopping.Token).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _disconnectSignal.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Answers one request: the subclass routes on <see cref="RecordedRequest.Path"/> and writes the reply (or a 404
    /// in the provider's error format for paths it does not serve).
    /// </summary>
    /// <param name="context">The HTTP context to write to.</param>
    /// <param name="request">The recorded request.</param>
    /// <param name="reply">The scripted reply for it.</param>
    /// <returns>A task that completes when the response is written.</returns>
    protected abstract Task HandleAsync(HttpContext context, RecordedRequest request, ScriptedReply reply);

    /// <summary>Writes the scripted error: status, <c>Retry-After</c>, and the error body the subclass builds.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="error">The error.</param>
    /// <param name="body">The error body in the provider's format.</param>
    /// <returns>A task that completes when written.</returns>
    protected static async Task WriteErrorAsync(HttpContext context, ScriptedError error, JsonNode body)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        context.Response.StatusCode = error.Status;
        if (error.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await WriteJsonAsync(context, body).ConfigureAwait(false);
    }

    /// <summary>Writes a whole JSON response with <c>application/json</c>.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="body">The body.</param>
    /// <returns>A task that completes when written.</returns>
    protected static async Task WriteJsonAsync(HttpContext context, JsonNode body)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes one piece of a streamed response and flushes it at once, after the reply's chunk delay. Returns
    /// <see langword="false"/> when the client has gone away (the disconnect is recorded); stop writing then.
    /// </summary>
    /// <param name="context">The HTTP context.</param>
    /// <param name="reply">The reply (for its delay).</param>
    /// <param name="text">The exact text to write (for SSE, include the <c>data: </c> prefix and blank line).</param>
    /// <returns>Whether the client is still there.</returns>
    protected async Task<bool> WriteChunkAsync(HttpContext context, ScriptedReply reply, string text)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reply);
        try
        {
            if (reply.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(reply.ChunkDelay, context.RequestAborted).ConfigureAwait(false);
            }

            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), context.RequestAborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
            RecordDisconnect();
            return false;
        }
    }

    /// <summary>Holds the response open without writing until the client goes away, then records the disconnect.</summary>
    /// <param name="context">The HTTP context.</param>
    /// <returns>A task that completes when the client has gone.</returns>
    protected async Task StallAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            RecordDisconnect();
        }
    }

    private void RecordDisconnect()
    {
        Interlocked.Increment(ref _disconnects);
        _disconnectSignal.Release();
    }

    private async Task StartCoreAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(DispatchAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        _app = app;
    }

    private async Task DispatchAsync(HttpContext context)
    {
        string bodyText;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            bodyText = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        JsonNode? body = null;
        if (bodyText.Length > 0)
        {
            try
            {
                body = JsonNode.Parse(bodyText);
            }
            catch (JsonException)
            {
                body = null;
            }
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var request = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "/", context.Request.QueryString.Value ?? string.Empty, headers, bodyText, body);
        lock (_requests)
        {
            _requests.Add(request);
        }

        if (!_replies.TryDequeue(out var replyFactory))
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync($"{{\"error\":{{\"message\":\"test server: no scripted reply left for {context.Request.Path}\"}}}}").ConfigureAwait(false);
            return;
        }

        await HandleAsync(context, request, replyFactory(request)).ConfigureAwait(false);
    }
}
