using AiAllin.SK.Filters.Logging;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AiAllin.SK.Filters.Tests.Registration;

/// <summary>
/// An application that imports the filter pack's namespaces beside Microsoft.Extensions.AI: every simple type name
/// both offer must stay unambiguous (this file compiles only while it does), and one <c>using</c> of
/// <c>AiAllin.SK.Filters</c> brings every registration method.
/// </summary>
public sealed class NamespaceCollisionTests
{
    [Fact]
    public void LoggingChatClient_BesideTheFilterPack_IsMicrosoftExtensionsAIs()
    {
        using var client = new LoggingChatClient(new TestSupport.ScriptedChatClient(), NullLogger.Instance);

        Assert.Equal(typeof(DelegatingChatClient), typeof(LoggingChatClient).BaseType);
        Assert.Equal("Microsoft.Extensions.AI", typeof(LoggingChatClient).Namespace);
        Assert.Equal(typeof(LoggingOptions).Namespace, typeof(LoggingPolicy).Namespace);
    }

    [Fact]
    public void BuilderExtensions_FromBothLibraries_ResolveWithoutQualification()
    {
        using var loggerFactory = new LoggerFactory();
        var builder = new ChatClientBuilder(new TestSupport.ScriptedChatClient())
            .UseLogging(loggerFactory)
            .UseAiAllinLogging()
            .UseAiAllinTimeout(TimeSpan.FromMinutes(1))
            .UseAiAllinRetry()
            .UseAiAllinMetrics();

        using var client = builder.Build();

        Assert.NotNull(client.GetService<LoggingChatClient>());
    }
}
