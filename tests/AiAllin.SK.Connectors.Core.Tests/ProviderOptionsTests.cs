using System.Text.Json;

namespace AiAllin.SK.Connectors.Core.Tests;

public sealed class ProviderOptionsTests
{
    private const string Section = "AiAllin:Test";

    private static TestProviderOptions Valid() => new() { ApiKey = TestKeys.OpenAI, Model = "gpt-4o-mini" };

    [Fact]
    public void Validate_ValidOptions_DoesNotThrow()
    {
        var options = Valid();
        options.Temperature = 0.7f;
        options.MaxTokens = 256;
        options.Timeout = TimeSpan.FromSeconds(30);
        options.Endpoint = new Uri("https://api.example.com/v1/");

        Assert.Empty(options.GetValidationErrors(Section));
        options.Validate(Section);
    }

    [Fact]
    public void Validate_MissingKeyAndModel_NamesBothSettingsAndTheirEnvironmentVariables()
    {
        var options = new TestProviderOptions();

        var ex = Assert.Throws<InvalidOperationException>(() => options.Validate(Section));

        Assert.Contains("AiAllin:Test:ApiKey is required (or set TEST_API_KEY or TEST_FALLBACK_KEY).", ex.Message);
        Assert.Contains("AiAllin:Test:Model is required (or set TEST_MODEL).", ex.Message);
    }

    [Fact]
    public void Validate_KeyOptionalProvider_AcceptsMissingKey()
    {
        var options = new TestProviderOptions { KeyOptional = true, Model = "llama3.2" };

        Assert.Empty(options.GetValidationErrors(Section));
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(2.01f)]
    [InlineData(float.NaN)]
    public void Validate_TemperatureOutOfRange_NamesTemperature(float temperature)
    {
        var options = Valid();
        options.Temperature = temperature;

        var ex = Assert.Throws<InvalidOperationException>(() => options.Validate(Section));

        Assert.Contains("AiAllin:Test:Temperature must be between 0 and 2", ex.Message);
    }

    [Fact]
    public void Validate_TemperatureAboveSubclassMaximum_IsRejected()
    {
        var options = Valid();
        options.MaxTemperatureOverride = 1f;
        options.Temperature = 1.5f;

        var ex = Assert.Throws<InvalidOperationException>(() => options.Validate(Section));

        Assert.Contains("AiAllin:Test:Temperature must be between 0 and 1 (was 1.5).", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Validate_NonPositiveMaxTokens_NamesMaxTokens(int maxTokens)
    {
        var options = Valid();
        options.MaxTokens = maxTokens;

        var ex = Assert.Throws<InvalidOperationException>(() => options.Validate(Section));

        Assert.Contains($"AiAllin:Test:MaxTokens must be positive (was {maxTokens}).", ex.Message);
    }

    [Fact]
    public void Validate_NegativeTimeout_NamesTimeoutButInfiniteIsAccepted()
    {
        var options = Valid();
        options.Timeout = TimeSpan.FromSeconds(-1);
        Assert.Contains("AiAllin:Test:Timeout must be positive", Assert.Throws<InvalidOperationException>(() => options.Validate(Section)).Message);

        options.Timeout = Timeout.InfiniteTimeSpan;
        Assert.Empty(options.GetValidationErrors(Section));
    }

    [Theory]
    [InlineData("http://localhost:11434")]
    [InlineData("http://127.0.0.1:8080/v1")]
    [InlineData("http://[::1]:11434")]
    [InlineData("https://ollama.internal:11434")]
    public void Validate_HttpsOrLoopbackEndpoint_IsAccepted(string endpoint)
    {
        var options = Valid();
        options.Endpoint = new Uri(endpoint);

        Assert.Empty(options.GetValidationErrors(Section));
    }

    [Fact]
    public void Validate_PlainHttpToRemoteHost_IsRejectedNamingTheOptOut()
    {
        var options = Valid();
        options.Endpoint = new Uri("http://ollama.internal:11434");

        var ex = Assert.Throws<InvalidOperationException>(() => options.Validate(Section));

        Assert.Contains("AiAllin:Test:Endpoint uses http:// to ollama.internal", ex.Message);
        Assert.Contains("AiAllin:Test:AllowInsecureHttp", ex.Message);
    }

    [Fact]
    public void Validate_PlainHttpToRemoteHostWithOptOut_IsAccepted()
    {
        var options = Valid();
        options.Endpoint = new Uri("http://ollama.internal:11434");
        options.AllowInsecureHttp = true;

        Assert.Empty(options.GetValidationErrors(Section));
    }

    [Fact]
    public void Validate_UnsupportedScheme_NamesEndpoint()
    {
        var options = Valid();
        options.Endpoint = new Uri("ftp://files.example.com/");

        Assert.Contains("AiAllin:Test:Endpoint must use https://", Assert.Throws<InvalidOperationException>(() => options.Validate(Section)).Message);
    }

    [Fact]
    public void Validate_KeyWithTrailingNewline_IsRejectedWithoutShowingTheKey()
    {
        var options = Valid();
        options.ApiKey = TestKeys.Cohere + "\n";

        var ex = Assert.Throws<InvalidOperationException>(() => options.Validate(Section));

        Assert.Contains("AiAllin:Test:ApiKey contains whitespace", ex.Message);
        Assert.DoesNotContain(TestKeys.Cohere, ex.ToString());
    }

    [Fact]
    public void Validate_SubclassHook_AddsItsErrorNextToBaseErrors()
    {
        var options = new TestProviderOptions { ApiKey = TestKeys.OpenAI, Region = "moon" };

        var errors = options.GetValidationErrors("AiAllin:Test:");

        Assert.Equal(["AiAllin:Test:Model is required (or set TEST_MODEL).", "AiAllin:Test:Region 'moon' is not served."], errors);
    }

    [Theory]
    [InlineData(TestKeys.OpenAI)]
    [InlineData(TestKeys.Anthropic)]
    [InlineData(TestKeys.Gemini)]
    [InlineData(TestKeys.Cohere)]
    public void ToString_NeverContainsTheKey(string key)
    {
        var options = new TestProviderOptions { ApiKey = key, Model = "m", Region = "eu" };

        var text = options.ToString();

        Assert.DoesNotContain(key, text);
        Assert.Contains("Model = m", text);
        Assert.Contains("Region = eu", text);
        Assert.StartsWith("TestProviderOptions { ", text);
    }

    [Fact]
    public void ToString_EndpointCredentials_AreRemoved()
    {
        var options = Valid();
        options.Endpoint = new Uri($"https://user:hunter2pass@gateway.example.com/v1?key={TestKeys.Gemini}");

        var text = options.ToString();

        Assert.DoesNotContain("hunter2pass", text);
        Assert.DoesNotContain(TestKeys.Gemini, text);
        Assert.Contains("gateway.example.com/v1", text);
    }

    [Fact]
    public void JsonSerialization_OmitsTheKey()
    {
        var options = Valid();

        var json = JsonSerializer.Serialize(options);

        Assert.DoesNotContain(TestKeys.OpenAI, json);
        Assert.Contains("gpt-4o-mini", json);
    }

    [Fact]
    public void ApplyEnvironmentDefaults_FillsOnlyUnsetValuesInPreferenceOrder()
    {
        var variables = new Dictionary<string, string>
        {
            ["TEST_FALLBACK_KEY"] = TestKeys.Cohere,
            ["TEST_MODEL"] = " env-model ",
            ["TEST_BASE_URL"] = "https://proxy.example.com/v1",
        };
        var options = new TestProviderOptions { Model = "configured-model" };

        options.ApplyEnvironmentDefaults(name => variables.GetValueOrDefault(name));

        Assert.Equal(TestKeys.Cohere, options.ApiKey);
        Assert.Equal("configured-model", options.Model);
        Assert.Equal(new Uri("https://proxy.example.com/v1"), options.Endpoint);

        variables["TEST_API_KEY"] = TestKeys.OpenAI;
        var fresh = new TestProviderOptions();
        fresh.ApplyEnvironmentDefaults(name => variables.GetValueOrDefault(name));
        Assert.Equal(TestKeys.OpenAI, fresh.ApiKey);
        Assert.Equal("env-model", fresh.Model);
    }

    [Fact]
    public void ApplyEnvironmentDefaults_InvalidEndpointVariable_NamesTheVariableAndKeepsOtherSettings()
    {
        var options = Valid();

        var ex = Assert.Throws<InvalidOperationException>(() => options.ApplyEnvironmentDefaults(name => name == "TEST_BASE_URL" ? "localhost:11434" : null));

        Assert.Contains("TEST_BASE_URL", ex.Message);
        Assert.Null(options.Endpoint);
        Assert.Equal(TestKeys.OpenAI, options.ApiKey);
    }
}
