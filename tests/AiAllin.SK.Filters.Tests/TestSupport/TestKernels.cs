using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Tests.TestSupport;

/// <summary>Builds Semantic Kernel instances over an in-test chat client with the AiAllin filters registered.</summary>
public static class TestKernels
{
    /// <summary>
    /// Builds a kernel whose chat client is <paramref name="inner"/> wrapped in SK's function-invocation loop (registered
    /// as <see cref="IChatClient"/>, as SK's own connectors register it; SK uses it for prompt functions) and whose
    /// filters are <paramref name="configure"/>, so the AiAllin chat layers wrap the whole tool loop.
    /// </summary>
    /// <param name="inner">The inner chat client.</param>
    /// <param name="configure">Adds the policies, e.g. <c>f =&gt; f.UseX(...)</c>.</param>
    /// <param name="loggerFactory">An optional logger factory registered in the kernel's services.</param>
    /// <param name="services">Optional extra registrations (run before <c>AddAiAllinFilters</c>).</param>
    /// <param name="plugins">Optional plugins to add.</param>
    /// <returns>The kernel.</returns>
    public static Kernel Create(
        IChatClient inner,
        Action<AiAllinFiltersBuilder> configure,
        ILoggerFactory? loggerFactory = null,
        Action<IServiceCollection>? services = null,
        params KernelPlugin[] plugins)
    {
        var builder = Kernel.CreateBuilder();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.Services.AddSingleton<IChatClient>(sp =>
            inner.AsBuilder().UseKernelFunctionInvocation(sp.GetService<ILoggerFactory>()).Build(sp));
        services?.Invoke(builder.Services);
        foreach (var plugin in plugins)
        {
            builder.Plugins.Add(plugin);
        }

        builder.AddAiAllinFilters(configure);
        return builder.Build();
    }

    /// <summary>Execution settings that let the model call the kernel's functions automatically.</summary>
    /// <returns>The settings, for <c>new KernelArguments(settings)</c>.</returns>
    public static PromptExecutionSettings AutoInvokeSettings() => new() { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };

    /// <summary>Collects a stream into a list (tests only; middleware must never buffer).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="source">The stream.</param>
    /// <param name="cancellationToken">The token.</param>
    /// <returns>The elements.</returns>
    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source, CancellationToken cancellationToken = default)
    {
        var list = new List<T>();
        await foreach (var item in source.WithCancellation(cancellationToken))
        {
            list.Add(item);
        }

        return list;
    }
}
