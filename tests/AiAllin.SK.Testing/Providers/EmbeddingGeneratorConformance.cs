using AiAllin.SK.Connectors.Core;
using AiAllin.SK.Testing.Logging;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace AiAllin.SK.Testing.Providers;

/// <summary>
/// The behaviour every embedding provider promises, checked against its wire server: vectors in input order,
/// dimensions passed on, usage and model reported, typed errors with the key never shown, DI registration.
/// </summary>
/// <typeparam name="TServer">The provider's wire format.</typeparam>
public abstract class EmbeddingGeneratorConformance<TServer> : IAsyncLifetime
    where TServer : WireServer, new()
{
    /// <summary>The API key every generator is given; it must never appear in a log or an exception.</summary>
    public const string ApiKey = "sk-conformance-embed-8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a";

    /// <summary>The model every generator is given.</summary>
    public const string Model = "conformance-embedding-model";

    private TServer? _server;

    /// <summary>Gets the wire server of this test.</summary>
    protected TServer Server => _server ?? throw new InvalidOperationException("The server starts in InitializeAsync.");

    /// <summary>Gets every log line the generators of this test wrote.</summary>
    protected CollectingLoggerProvider Logs { get; } = new();

    /// <summary>Gets whether the API takes a <c>dimensions</c> option.</summary>
    protected virtual bool SupportsDimensions => true;

    /// <summary>Gets whether the API reports token usage for embeddings.</summary>
    protected virtual bool ReportsUsage => true;

    /// <summary>Creates the provider's generator for <see cref="Server"/> with <see cref="ApiKey"/> and <see cref="Model"/>.</summary>
    /// <param name="loggerFactory">The logger factory the generator must log through.</param>
    /// <param name="dimensions">The default dimensions to ask for, or <see langword="null"/> for the model's.</param>
    /// <returns>The generator.</returns>
    protected abstract IEmbeddingGenerator<string, Embedding<float>> CreateGenerator(ILoggerFactory loggerFactory, int? dimensions);

    /// <summary>Registers the provider's generator with its <c>Add…EmbeddingGenerator</c> extension, same settings, no default dimensions.</summary>
    /// <param name="services">The services.</param>
    protected abstract void AddEmbeddingGenerator(IServiceCollection services);

    /// <inheritdoc />
    public async Task InitializeAsync() => _server = await WireServer.StartAsync<TServer>().ConfigureAwait(false);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }

        Assert.DoesNotContain(ApiKey, Logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_ReturnsOneVectorPerInputInOrder()
    {
        Server.Enqueue(new ScriptedReply { Usage = new ScriptedUsage(9, 0) });
        using var generator = CreateGenerator(Logs.CreateFactory(), null);
        string[] inputs = ["first text", "second text", "third text"];

        var embeddings = await generator.GenerateAsync(inputs);

        Assert.Equal(3, embeddings.Count);
        for (var i = 0; i < inputs.Length; i++)
        {
            Assert.Equal(DeterministicEmbedding.For(inputs[i], 8), embeddings[i].Vector.ToArray());
        }

        if (ReportsUsage)
        {
            Assert.Equal(9, embeddings.Usage?.InputTokenCount);
        }

        Assert.Equal(Model, Server.Describe(Server.Requests.Single()).Model);
    }

    [Fact]
    public async Task Generate_WithDimensions_AsksForThemAndGetsThatLength()
    {
        if (!SupportsDimensions)
        {
            return;
        }

        Server.Enqueue(new ScriptedReply(), new ScriptedReply());
        using var generator = CreateGenerator(Logs.CreateFactory(), 16);

        var byDefault = await generator.GenerateAsync(["a text"]);
        var perCall = await generator.GenerateAsync(["a text"], new EmbeddingGenerationOptions { Dimensions = 24 });

        Assert.Equal(DeterministicEmbedding.For("a text", 16), byDefault[0].Vector.ToArray());
        Assert.Equal(24, perCall[0].Vector.Length);
        Assert.Contains("16", Server.Requests[0].BodyText, StringComparison.Ordinal);
        Assert.Contains("24", Server.Requests[1].BodyText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_ManyInputs_ReturnsEveryVector()
    {
        Server.Enqueue(Enumerable.Range(0, 8).Select(_ => new ScriptedReply()).ToArray());
        using var generator = CreateGenerator(Logs.CreateFactory(), null);
        var inputs = Enumerable.Range(0, 300).Select(i => $"document number {i}").ToArray();

        var embeddings = await generator.GenerateAsync(inputs);

        Assert.Equal(inputs.Length, embeddings.Count);
        Assert.Equal(DeterministicEmbedding.For("document number 0", 8), embeddings[0].Vector.ToArray());
        Assert.Equal(DeterministicEmbedding.For("document number 299", 8), embeddings[^1].Vector.ToArray());
    }

    [Fact]
    public async Task Generate_HttpError_ThrowsProviderExceptionWithoutTheKey()
    {
        Server.Enqueue(ScriptedReply.WithError(400, "invalid_request_error", "input is too long"));
        using var generator = CreateGenerator(Logs.CreateFactory(), null);

        var exception = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["x"]));

        Assert.Equal(400, (int?)exception.StatusCode);
        Assert.Contains("input is too long", exception.Message, StringComparison.Ordinal);
        Assert.False(exception.IsTransient);
        Assert.DoesNotContain(ApiKey, exception.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_429WithLongRetryAfter_FailsAtOnceCarryingRetryAfter()
    {
        Server.Enqueue(ScriptedReply.WithError(429, "rate_limit_error", "Too many requests", TimeSpan.FromHours(1)), new ScriptedReply());
        using var generator = CreateGenerator(Logs.CreateFactory(), null);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var exception = await Assert.ThrowsAsync<ProviderException>(() => generator.GenerateAsync(["x"], cancellationToken: guard.Token));

        Assert.Equal(TimeSpan.FromHours(1), exception.RetryAfter);
        Assert.True(exception.IsTransient);
        Assert.Single(Server.Requests);
    }

    [Fact]
    public async Task Generate_500ThenSuccess_IsRetried()
    {
        Server.Enqueue(ScriptedReply.WithError(500, "server_error", "boom"), new ScriptedReply());
        using var generator = CreateGenerator(Logs.CreateFactory(), null);

        var embeddings = await generator.GenerateAsync(["retry me"]);

        Assert.Equal(DeterministicEmbedding.For("retry me", 8), embeddings[0].Vector.ToArray());
        Assert.Equal(2, Server.Requests.Count);
    }

    [Fact]
    public async Task Registered_Generator_ResolvesAndWorks()
    {
        Server.Enqueue(new ScriptedReply());
        var services = new ServiceCollection();
        services.AddSingleton(Logs.CreateFactory());
        AddEmbeddingGenerator(services);
        await using var provider = services.BuildServiceProvider();

        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var embeddings = await generator.GenerateAsync(["from DI"]);

        Assert.Equal(DeterministicEmbedding.For("from DI", 8), embeddings[0].Vector.ToArray());
        Assert.Equal(Model, generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
    }
}
