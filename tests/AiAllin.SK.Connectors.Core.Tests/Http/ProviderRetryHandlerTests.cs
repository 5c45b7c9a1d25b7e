using System.Diagnostics;
using System.Net;
using System.Text;
using AiAllin.SK.Connectors.Core.Http;

namespace AiAllin.SK.Connectors.Core.Tests.Http;

public sealed class ProviderRetryHandlerTests
{
    [Fact]
    public async Task TransientStatus_ThenSuccess_IsRetriedAndReturnsSuccess()
    {
        var inner = new ScriptedHandler(Respond(HttpStatusCode.InternalServerError), Respond(HttpStatusCode.OK, "ok"));
        using var client = Client(inner, maxRetries: 2);

        using var response = await client.PostAsync("http://127.0.0.1/x", new StringContent("{\"a\":1}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Bodies.Count);
        Assert.All(inner.Bodies, body => Assert.Equal("{\"a\":1}", body));
    }

    [Fact]
    public async Task RetryAfterWithinCap_IsWaitedAndRetried()
    {
        var inner = new ScriptedHandler(Respond(HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromSeconds(1)), Respond(HttpStatusCode.OK));
        using var client = Client(inner, maxRetries: 2);
        var watch = Stopwatch.StartNew();

        using var response = await client.GetAsync("http://127.0.0.1/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Bodies.Count);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"waited only {watch.Elapsed}");
    }

    [Fact]
    public async Task RetryAfterBeyondCap_ReturnsTheFailureAtOnceWithTheHeader()
    {
        var inner = new ScriptedHandler(Respond(HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromHours(1)), Respond(HttpStatusCode.OK));
        using var client = Client(inner, maxRetries: 2, maxRetryDelay: TimeSpan.FromSeconds(10));
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var response = await client.GetAsync("http://127.0.0.1/x", hangGuard.Token);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Single(inner.Bodies);
        var exception = await ProviderException.FromResponseAsync("Test", response);
        Assert.Equal(TimeSpan.FromHours(1), exception.RetryAfter);
        Assert.True(exception.IsTransient);
    }

    [Fact]
    public async Task QuotaExhausted429_IsNotRetriedAndItsBodyStaysReadable()
    {
        const string body = """{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""";
        var inner = new ScriptedHandler(Respond(HttpStatusCode.TooManyRequests, body), Respond(HttpStatusCode.OK));
        using var client = Client(inner, maxRetries: 2);

        using var response = await client.GetAsync("http://127.0.0.1/x");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Single(inner.Bodies);
        var exception = await ProviderException.FromResponseAsync("Test", response);
        Assert.Equal("insufficient_quota", exception.ErrorCode);
        Assert.False(exception.IsTransient);
    }

    [Fact]
    public async Task RateLimited429WithoutRetryAfter_IsRetried()
    {
        const string body = """{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}""";
        var inner = new ScriptedHandler(Respond(HttpStatusCode.TooManyRequests, body), Respond(HttpStatusCode.OK));
        using var client = Client(inner, maxRetries: 1);

        using var response = await client.GetAsync("http://127.0.0.1/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Bodies.Count);
    }

    [Fact]
    public async Task NonTransientStatus_IsNotRetried()
    {
        var inner = new ScriptedHandler(Respond(HttpStatusCode.BadRequest), Respond(HttpStatusCode.OK));
        using var client = Client(inner, maxRetries: 2);

        using var response = await client.GetAsync("http://127.0.0.1/x");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Single(inner.Bodies);
    }

    [Fact]
    public async Task RetriesExhausted_ReturnsTheLastFailure()
    {
        var inner = new ScriptedHandler(
            Respond(HttpStatusCode.ServiceUnavailable, retryAfter: TimeSpan.Zero),
            Respond(HttpStatusCode.ServiceUnavailable, retryAfter: TimeSpan.Zero),
            Respond(HttpStatusCode.BadGateway, retryAfter: TimeSpan.Zero),
            Respond(HttpStatusCode.OK));
        using var client = Client(inner, maxRetries: 2);

        using var response = await client.GetAsync("http://127.0.0.1/x");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(3, inner.Bodies.Count);
    }

    [Fact]
    public async Task MaxRetriesZero_SendsOnce()
    {
        var inner = new ScriptedHandler(Respond(HttpStatusCode.InternalServerError), Respond(HttpStatusCode.OK));
        using var client = Client(inner, maxRetries: 0);

        using var response = await client.GetAsync("http://127.0.0.1/x");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Single(inner.Bodies);
    }

    [Fact]
    public async Task ConnectionFailure_IsRetried()
    {
        var inner = new ScriptedHandler(_ => throw new HttpRequestException("connection refused"), Respond(HttpStatusCode.OK));
        using var client = Client(inner, maxRetries: 1);

        using var response = await client.GetAsync("http://127.0.0.1/x");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, inner.Bodies.Count);
    }

    [Fact]
    public async Task CallerCancellation_IsNotRetried()
    {
        using var cancellation = new CancellationTokenSource();
        var inner = new ScriptedHandler(_ =>
        {
            cancellation.Cancel();
            throw new OperationCanceledException(cancellation.Token);
        }, Respond(HttpStatusCode.OK));
        using var client = Client(inner, maxRetries: 2);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync("http://127.0.0.1/x", cancellation.Token));
        Assert.Single(inner.Bodies);
    }

    [Fact]
    public void Constructor_RejectsNegativeSettings()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProviderRetryHandler("Test", -1, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProviderRetryHandler("Test", 1, TimeSpan.FromSeconds(-1)));
    }

    private static HttpClient Client(ScriptedHandler inner, int maxRetries, TimeSpan? maxRetryDelay = null) =>
        new(new ProviderRetryHandler("Test", maxRetries, maxRetryDelay ?? TimeSpan.FromSeconds(10)) { InnerHandler = inner });

    private static Func<HttpRequestMessage, HttpResponseMessage> Respond(HttpStatusCode status, string body = "{}", TimeSpan? retryAfter = null) => _ =>
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delay);
        }

        return response;
    };

    private sealed class ScriptedHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] steps) : HttpMessageHandler
    {
        private int _next;

        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken));
            return steps[_next++](request);
        }
    }
}
