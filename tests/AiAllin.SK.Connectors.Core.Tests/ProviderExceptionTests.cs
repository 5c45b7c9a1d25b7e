using System.Net;
using System.Text;

namespace AiAllin.SK.Connectors.Core.Tests;

public sealed class ProviderExceptionTests
{
    private static HttpResponseMessage Response(HttpStatusCode status, string body, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }

    [Fact]
    public async Task FromResponse_OpenAIRateLimit_ReadsCodeMessageAndRetryAfterMs()
    {
        using var response = Response(
            HttpStatusCode.TooManyRequests,
            """{"error":{"message":"Rate limit reached for gpt-4o on tokens per min.","type":"tokens","param":null,"code":"rate_limit_exceeded"}}""",
            ("retry-after-ms", "1500"),
            ("x-request-id", "req_123"));

        var ex = await ProviderException.FromResponseAsync("OpenAI", response, CancellationToken.None);

        Assert.Equal("OpenAI", ex.Provider);
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.Equal("rate_limit_exceeded", ex.ErrorCode);
        Assert.Equal("Rate limit reached for gpt-4o on tokens per min.", ex.ProviderMessage);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), ex.RetryAfter);
        Assert.True(ex.IsTransient);
        Assert.Equal("req_123", ex.RequestId);
        Assert.Equal("OpenAI request failed with HTTP 429 TooManyRequests (rate_limit_exceeded): Rate limit reached for gpt-4o on tokens per min. Retry after 1.5s.", ex.Message);
    }

    [Fact]
    public async Task FromResponse_OpenAIInsufficientQuota_IsNotTransientDespite429()
    {
        using var response = Response(
            HttpStatusCode.TooManyRequests,
            """{"error":{"message":"You exceeded your current quota.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""");

        var ex = await ProviderException.FromResponseAsync("OpenAI", response, CancellationToken.None);

        Assert.Equal("insufficient_quota", ex.ErrorCode);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task FromResponse_OpenAIWithoutCode_FallsBackToType()
    {
        using var response = Response(HttpStatusCode.BadRequest, """{"error":{"message":"bad param","type":"invalid_request_error","param":"temperature","code":null}}""");

        var ex = await ProviderException.FromResponseAsync("OpenAI", response, CancellationToken.None);

        Assert.Equal("invalid_request_error", ex.ErrorCode);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task FromResponse_AnthropicOverloaded_IsTransientWithRequestId()
    {
        using var response = Response(
            (HttpStatusCode)529,
            """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011"}""",
            ("request-id", "req_011"));

        var ex = await ProviderException.FromResponseAsync("Anthropic", response, CancellationToken.None);

        Assert.Equal((HttpStatusCode)529, ex.StatusCode);
        Assert.Equal("overloaded_error", ex.ErrorCode);
        Assert.Equal("Overloaded", ex.ProviderMessage);
        Assert.True(ex.IsTransient);
        Assert.Equal("req_011", ex.RequestId);
        Assert.Equal("Anthropic request failed with HTTP 529 (overloaded_error): Overloaded", ex.Message);
    }

    [Fact]
    public async Task FromResponse_GeminiResourceExhausted_ReadsStatusAndRetryInfoDelay()
    {
        using var response = Response(
            HttpStatusCode.TooManyRequests,
            """
            {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED",
              "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[]},
                         {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"13.5s"}]}}
            """);

        var ex = await ProviderException.FromResponseAsync("Gemini", response, CancellationToken.None);

        Assert.Equal("RESOURCE_EXHAUSTED", ex.ErrorCode);
        Assert.Equal("Resource has been exhausted (e.g. check quota).", ex.ProviderMessage);
        Assert.Equal(TimeSpan.FromSeconds(13.5), ex.RetryAfter);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task FromResponse_AzureContentFilterWithNumericStatus_ReadsTheCode()
    {
        using var response = Response(
            HttpStatusCode.BadRequest,
            """{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy.","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":true,"severity":"high"}}}}}""");

        var ex = await ProviderException.FromResponseAsync("AzureOpenAI", response, CancellationToken.None);

        Assert.Equal("content_filter", ex.ErrorCode);
        Assert.StartsWith("The response was filtered", ex.ProviderMessage, StringComparison.Ordinal);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task FromResponse_GeminiArrayWrappedError_IsRead()
    {
        using var response = Response(
            HttpStatusCode.BadRequest,
            """[{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}]""");

        var ex = await ProviderException.FromResponseAsync("Gemini", response, CancellationToken.None);

        Assert.Equal("INVALID_ARGUMENT", ex.ErrorCode);
        Assert.Equal("API key not valid. Please pass a valid API key.", ex.ProviderMessage);
        Assert.False(ex.IsTransient);
    }

    [Theory]
    [InlineData("""{"id":"4f1e0b7a-0000-4000-8000-000000000000","message":"invalid request: model 'x' not found"}""")]
    [InlineData("""{"message":"invalid request: model 'x' not found"}""")]
    public async Task FromResponse_CohereBodies_AreRead(string body)
    {
        using var response = Response(HttpStatusCode.NotFound, body);

        var ex = await ProviderException.FromResponseAsync("Cohere", response, CancellationToken.None);

        Assert.Equal("invalid request: model 'x' not found", ex.ProviderMessage);
        Assert.Null(ex.ErrorCode);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task FromResponse_OllamaStringError_IsRead()
    {
        using var response = Response(HttpStatusCode.NotFound, """{"error":"model \"llama9\" not found, try pulling it first"}""");

        var ex = await ProviderException.FromResponseAsync("Ollama", response, CancellationToken.None);

        Assert.Equal("model \"llama9\" not found, try pulling it first", ex.ProviderMessage);
        Assert.Contains("HTTP 404 NotFound", ex.Message);
    }

    [Fact]
    public async Task FromResponse_TeiOverloaded_ReadsErrorType()
    {
        using var response = Response((HttpStatusCode)429, """{"error":"Model is overloaded","error_type":"Overloaded"}""");

        var ex = await ProviderException.FromResponseAsync("TEI", response, CancellationToken.None);

        Assert.Equal("Overloaded", ex.ErrorCode);
        Assert.Equal("Model is overloaded", ex.ProviderMessage);
    }

    [Fact]
    public async Task FromResponse_NonJsonBody_FallsBackToTruncatedRawText()
    {
        var html = "<html><body>502 Bad Gateway" + new string('.', 5000) + "</body></html>";
        using var response = Response(HttpStatusCode.BadGateway, html);

        var ex = await ProviderException.FromResponseAsync("OpenAI", response, CancellationToken.None);

        Assert.NotNull(ex.ProviderMessage);
        Assert.StartsWith("<html><body>502 Bad Gateway", ex.ProviderMessage);
        Assert.True(ex.ProviderMessage.Length <= 1001);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task FromResponse_EmptyBody_UsesReasonPhrase()
    {
        using var response = Response(HttpStatusCode.ServiceUnavailable, string.Empty);

        var ex = await ProviderException.FromResponseAsync("Cohere", response, CancellationToken.None);

        Assert.Equal("Service Unavailable", ex.ProviderMessage);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task FromResponse_RetryAfterDeltaSeconds_IsRead()
    {
        using var response = Response(HttpStatusCode.TooManyRequests, "{}");
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(20));

        var ex = await ProviderException.FromResponseAsync("Anthropic", response, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(20), ex.RetryAfter);
        Assert.Contains("Retry after 20s.", ex.Message);
    }

    [Fact]
    public async Task FromResponse_RetryAfterHttpDate_IsMeasuredFromTheClock()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        using var response = Response(HttpStatusCode.ServiceUnavailable, "{}", ("Retry-After", "Wed, 25 Nov 2026 12:00:30 GMT"));

        var ex = await ProviderException.FromResponseAsync("Gemini", response, apiKey: null, new FixedTimeProvider(now), CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(30), ex.RetryAfter);
    }

    [Fact]
    public async Task FromResponse_RetryAfterHttpDateInThePast_IsZero()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        using var response = Response(HttpStatusCode.ServiceUnavailable, "{}", ("Retry-After", "Wed, 25 Nov 2026 11:59:00 GMT"));

        var ex = await ProviderException.FromResponseAsync("Gemini", response, apiKey: null, new FixedTimeProvider(now), CancellationToken.None);

        Assert.Equal(TimeSpan.Zero, ex.RetryAfter);
    }

    [Fact]
    public async Task FromResponse_RateLimitResetHeaders_UseTheExhaustedLimitOnly()
    {
        using var exhaustedTokens = Response(
            HttpStatusCode.TooManyRequests,
            "{}",
            ("x-ratelimit-remaining-requests", "59"),
            ("x-ratelimit-reset-requests", "1s"),
            ("x-ratelimit-remaining-tokens", "0"),
            ("x-ratelimit-reset-tokens", "6m0.5s"));
        using var nothingExhausted = Response(
            HttpStatusCode.TooManyRequests,
            "{}",
            ("x-ratelimit-remaining-requests", "59"),
            ("x-ratelimit-reset-requests", "1s"));

        var tokens = await ProviderException.FromResponseAsync("OpenAI", exhaustedTokens, CancellationToken.None);
        var none = await ProviderException.FromResponseAsync("OpenAI", nothingExhausted, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(360.5), tokens.RetryAfter);
        Assert.Null(none.RetryAfter);
    }

    [Fact]
    public async Task FromResponse_ShouldRetryHeader_OverridesStatusClassification()
    {
        using var noRetry = Response(HttpStatusCode.InternalServerError, "{}", ("x-should-retry", "false"));
        using var retry = Response(HttpStatusCode.BadRequest, "{}", ("x-should-retry", "true"));

        Assert.False((await ProviderException.FromResponseAsync("OpenAI", noRetry, CancellationToken.None)).IsTransient);
        Assert.True((await ProviderException.FromResponseAsync("OpenAI", retry, CancellationToken.None)).IsTransient);
    }

    [Fact]
    public async Task FromResponse_Conflict_IsTransientOnlyWhenProviderAsksForRetry()
    {
        using var plain = Response(HttpStatusCode.Conflict, "{}");
        using var withRetryAfter = Response(HttpStatusCode.Conflict, "{}", ("Retry-After", "2"));

        Assert.False((await ProviderException.FromResponseAsync("OpenAI", plain, CancellationToken.None)).IsTransient);
        Assert.True((await ProviderException.FromResponseAsync("OpenAI", withRetryAfter, CancellationToken.None)).IsTransient);
    }

    [Theory]
    [InlineData(408, true)]
    [InlineData(425, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(529, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(413, false)]
    [InlineData(422, false)]
    [InlineData(501, false)]
    public async Task TransientClassification_FollowsTheStatusTable(int status, bool transient)
    {
        using var response = Response((HttpStatusCode)status, "{}");

        var ex = await ProviderException.FromResponseAsync("OpenAI", response, CancellationToken.None);

        Assert.Equal(transient, ProviderException.IsTransientStatusCode((HttpStatusCode)status));
        Assert.Equal(transient, ex.IsTransient);
    }

    [Fact]
    public async Task FromResponse_BodyEchoingKeys_NeverShowsThemInMessageOrToString()
    {
        var body = $$$"""{"error":{"message":"Incorrect API key provided: {{{TestKeys.OpenAI}}}; also tried {{{TestKeys.Cohere}}} with Authorization: Bearer {{{TestKeys.Anthropic}}}","type":"invalid_request_error","code":"invalid_api_key"}}""";
        using var response = Response(HttpStatusCode.Unauthorized, body);

        var ex = await ProviderException.FromResponseAsync("OpenAI", response, TestKeys.Cohere, timeProvider: null, CancellationToken.None);

        foreach (var key in new[] { TestKeys.OpenAI, TestKeys.Cohere, TestKeys.Anthropic })
        {
            Assert.DoesNotContain(key, ex.Message);
            Assert.DoesNotContain(key, ex.ToString());
            Assert.DoesNotContain(key, ex.ProviderMessage);
        }

        Assert.Contains("Incorrect API key provided", ex.Message);
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task FromResponse_RawBodyWithGeminiKeyInUrl_IsRedacted()
    {
        using var response = Response(HttpStatusCode.BadGateway, $"upstream https://generativelanguage.googleapis.com/v1beta/models/m:generateContent?key={TestKeys.Gemini} failed");

        var ex = await ProviderException.FromResponseAsync("Gemini", response, CancellationToken.None);

        Assert.DoesNotContain(TestKeys.Gemini, ex.ToString());
        Assert.Contains("?key=***", ex.Message);
    }

    [Fact]
    public void FromTransportFailure_NetworkError_IsTransientAndRedactsInnerText()
    {
        var inner = new HttpRequestException($"Connection refused (api.example.com:443) Authorization: Bearer {TestKeys.OpenAI}");

        ProviderException ex;
        try
        {
            throw ProviderException.FromTransportFailure("OpenAI", inner);
        }
        catch (ProviderException thrown)
        {
            ex = thrown;
        }

        Assert.True(ex.IsTransient);
        Assert.Null(ex.StatusCode);
        Assert.Same(inner, ex.InnerException);
        Assert.StartsWith("OpenAI request failed before a complete response arrived: HttpRequestException: Connection refused", ex.Message);
        Assert.DoesNotContain(TestKeys.OpenAI, ex.Message);
        Assert.DoesNotContain(TestKeys.OpenAI, ex.ToString());
    }

    [Fact]
    public void Constructor_FromParts_ComposesMessageAndClassifies()
    {
        var withoutMessage = new ProviderException("OpenAI", HttpStatusCode.BadGateway, errorCode: null, providerMessage: null);
        var withMessage = new ProviderException("Cohere", HttpStatusCode.BadRequest, "invalid_request", $"bad key {TestKeys.OpenAI}", TimeSpan.FromSeconds(2));

        Assert.Null(withoutMessage.ProviderMessage);
        Assert.Equal("OpenAI request failed with HTTP 502 BadGateway.", withoutMessage.Message);
        Assert.True(withoutMessage.IsTransient);
        Assert.Equal("Cohere request failed with HTTP 400 BadRequest (invalid_request): bad key sk-proj-*** Retry after 2s.", withMessage.Message);
        Assert.False(withMessage.IsTransient);
    }

    [Fact]
    public void FromTransportFailure_Timeout_SaysTimedOut()
    {
        var ex = ProviderException.FromTransportFailure("Gemini", new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing."));

        Assert.True(ex.IsTransient);
        Assert.StartsWith("Gemini request timed out", ex.Message);
    }

    [Fact]
    public void FromTransportFailure_HttpRequestExceptionWithStatus_UsesStatus()
    {
        var ex = ProviderException.FromTransportFailure("Cohere", new HttpRequestException("Response status code does not indicate success: 401.", null, HttpStatusCode.Unauthorized));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.False(ex.IsTransient);
    }
}
