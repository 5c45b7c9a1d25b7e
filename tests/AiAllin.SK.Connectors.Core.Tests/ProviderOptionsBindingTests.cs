using Microsoft.Extensions.Configuration;

namespace AiAllin.SK.Connectors.Core.Tests;

public sealed class ProviderOptionsBindingTests
{
    [Fact]
    public void Bind_FromConfigurationSection_FillsEverySharedSettingAndSubclassExtras()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AiAllin:Test:ApiKey"] = TestKeys.Gemini,
                ["AiAllin:Test:Model"] = "gemini-2.5-flash",
                ["AiAllin:Test:MaxTokens"] = "512",
                ["AiAllin:Test:Temperature"] = "0.25",
                ["AiAllin:Test:Endpoint"] = "http://localhost:8080/v1beta/",
                ["AiAllin:Test:Timeout"] = "00:00:45",
                ["AiAllin:Test:AllowInsecureHttp"] = "false",
                ["AiAllin:Test:Region"] = "eu",
            })
            .Build();
        var options = new TestProviderOptions();

        configuration.GetSection("AiAllin:Test").Bind(options);

        Assert.Equal(TestKeys.Gemini, options.ApiKey);
        Assert.Equal("gemini-2.5-flash", options.Model);
        Assert.Equal(512, options.MaxTokens);
        Assert.Equal(0.25f, options.Temperature);
        Assert.Equal(new Uri("http://localhost:8080/v1beta/"), options.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(45), options.Timeout);
        Assert.Equal("eu", options.Region);
        Assert.Empty(options.GetValidationErrors("AiAllin:Test"));
    }

    [Fact]
    public void Bind_InvalidValues_AreReportedBySettingName()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AiAllin:Test:ApiKey"] = TestKeys.Gemini,
                ["AiAllin:Test:Temperature"] = "7",
                ["AiAllin:Test:Endpoint"] = "http://gemini.example.com/",
            })
            .Build();
        var options = new TestProviderOptions();
        configuration.GetSection("AiAllin:Test").Bind(options);

        var ex = Assert.Throws<InvalidOperationException>(() => options.Validate("AiAllin:Test"));

        Assert.Contains("AiAllin:Test:Model is required", ex.Message);
        Assert.Contains("AiAllin:Test:Temperature must be between 0 and 2 (was 7).", ex.Message);
        Assert.Contains("AiAllin:Test:Endpoint uses http:// to gemini.example.com", ex.Message);
        Assert.DoesNotContain(TestKeys.Gemini, ex.Message);
    }
}
