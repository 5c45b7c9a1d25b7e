namespace AiAllin.SK.Connectors.Core.Tests;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData(TestKeys.OpenAI)]
    [InlineData(TestKeys.Anthropic)]
    [InlineData(TestKeys.Gemini)]
    [InlineData("hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345")]
    [InlineData("gsk_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345")]
    public void Redact_WellKnownKeyShape_IsRemovedWithoutBeingPassed(string key)
    {
        var text = $"Incorrect API key provided: {key}. You can find your key at https://example.com.";

        var redacted = SecretRedactor.Redact(text);

        Assert.DoesNotContain(key, redacted);
        Assert.Contains("Incorrect API key provided:", redacted);
        Assert.Contains(SecretRedactor.Mask, redacted);
    }

    [Fact]
    public void Redact_BearerToken_KeepsSchemeAndRemovesToken()
    {
        var redacted = SecretRedactor.Redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl sent");

        Assert.Equal("Authorization: Bearer *** sent", redacted);
    }

    [Fact]
    public void Redact_KeyQueryParameter_IsRemoved()
    {
        var redacted = SecretRedactor.Redact("GET https://generativelanguage.googleapis.com/v1beta/models/x:generateContent?alt=sse&key=abc123secret failed");

        Assert.Equal("GET https://generativelanguage.googleapis.com/v1beta/models/x:generateContent?alt=sse&key=*** failed", redacted);
    }

    [Fact]
    public void Redact_ApiKeyHeaderAndJsonMember_AreRemoved()
    {
        var redacted = SecretRedactor.Redact("x-api-key: plainsecretvalue1 body {\"api_key\": \"anothersecret99\"}");

        Assert.DoesNotContain("plainsecretvalue1", redacted);
        Assert.DoesNotContain("anothersecret99", redacted);
    }

    [Fact]
    public void Redact_ExplicitSecretWithoutKnownShape_IsRemovedIncludingUrlEncodedForm()
    {
        const string secret = "Xb7Kq2/LmN9pR4+sT1vW6yZ3aC8dF0gH5jK2mP7qR4";
        var text = $"key {secret} and encoded {Uri.EscapeDataString(secret)}";

        var redacted = SecretRedactor.Redact(text, secret);

        Assert.Equal("key *** and encoded ***", redacted);
    }

    [Fact]
    public void Redact_ShortExplicitSecret_IsNotSearchedSoTextStaysReadable()
    {
        var redacted = SecretRedactor.Redact("a model answer", "a");

        Assert.Equal("a model answer", redacted);
    }

    [Theory]
    [InlineData(TestKeys.OpenAI, "sk-proj-…(redacted)")]
    [InlineData(TestKeys.Anthropic, "sk-ant-…(redacted)")]
    [InlineData(TestKeys.Gemini, "AIza…(redacted)")]
    [InlineData(TestKeys.Cohere, "***")]
    [InlineData("sk-short", "***")]
    [InlineData(null, "(not set)")]
    public void Describe_ShowsOnlyPublicPrefix(string? key, string expected)
    {
        Assert.Equal(expected, SecretRedactor.Describe(key));
    }

    [Fact]
    public void RedactAndTruncate_LongText_IsCutAfterRedaction()
    {
        var text = TestKeys.OpenAI + " " + new string('x', 500);

        var result = SecretRedactor.RedactAndTruncate(text, 20);

        Assert.Equal(21, result.Length);
        Assert.StartsWith("sk-proj-***", result);
        Assert.EndsWith("…", result);
    }
}
