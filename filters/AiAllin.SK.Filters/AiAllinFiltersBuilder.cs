using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters;

/// <summary>
/// Collects the policies of one <c>AddAiAllinFilters(f =&gt; f.UseX(...).UseY(...))</c> call, in the order written.
/// Each policy contributes a chat-client layer (a <see cref="DelegatingChatClient"/>) and, where it fits, Semantic
/// Kernel filters; the first policy written is the outermost layer and runs its SK filters first.
/// </summary>
/// <remarks>
/// Policy packages add <c>UseX</c> extension methods on this type that call <see cref="AddChatLayer"/> and the
/// <c>Add…Filter</c> methods; application code normally only calls those <c>UseX</c> methods.
/// </remarks>
public sealed class AiAllinFiltersBuilder
{
    private readonly List<Func<IServiceProvider, IChatClient, IChatClient>> _chatLayers = [];
    private readonly List<Func<IServiceProvider, IFunctionInvocationFilter>> _functionFilters = [];
    private readonly List<Func<IServiceProvider, IPromptRenderFilter>> _promptRenderFilters = [];
    private readonly List<Func<IServiceProvider, IAutoFunctionInvocationFilter>> _autoFunctionFilters = [];

    internal AiAllinFiltersBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the service collection the filters are registered in, for policies that need their own services.</summary>
    public IServiceCollection Services { get; }

    internal IReadOnlyList<Func<IServiceProvider, IChatClient, IChatClient>> ChatLayers => _chatLayers;

    internal IReadOnlyList<Func<IServiceProvider, IFunctionInvocationFilter>> FunctionFilters => _functionFilters;

    internal IReadOnlyList<Func<IServiceProvider, IPromptRenderFilter>> PromptRenderFilters => _promptRenderFilters;

    internal IReadOnlyList<Func<IServiceProvider, IAutoFunctionInvocationFilter>> AutoFunctionFilters => _autoFunctionFilters;

    /// <summary>Adds a chat-client layer; layers added earlier wrap layers added later.</summary>
    /// <param name="layer">Wraps the inner client (given the service provider) and returns the wrapping client.</param>
    /// <returns>This builder.</returns>
    public AiAllinFiltersBuilder AddChatLayer(Func<IServiceProvider, IChatClient, IChatClient> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _chatLayers.Add(layer);
        return this;
    }

    /// <summary>Adds a Semantic Kernel function invocation filter; filters run in the order added.</summary>
    /// <param name="factory">Creates the filter from the service provider.</param>
    /// <returns>This builder.</returns>
    public AiAllinFiltersBuilder AddFunctionFilter(Func<IServiceProvider, IFunctionInvocationFilter> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _functionFilters.Add(factory);
        return this;
    }

    /// <summary>Adds a Semantic Kernel prompt render filter; filters run in the order added.</summary>
    /// <param name="factory">Creates the filter from the service provider.</param>
    /// <returns>This builder.</returns>
    public AiAllinFiltersBuilder AddPromptRenderFilter(Func<IServiceProvider, IPromptRenderFilter> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _promptRenderFilters.Add(factory);
        return this;
    }

    /// <summary>Adds a Semantic Kernel auto function invocation filter; filters run in the order added.</summary>
    /// <param name="factory">Creates the filter from the service provider.</param>
    /// <returns>This builder.</returns>
    public AiAllinFiltersBuilder AddAutoFunctionInvocationFilter(Func<IServiceProvider, IAutoFunctionInvocationFilter> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _autoFunctionFilters.Add(factory);
        return this;
    }

    /// <summary>Wraps <paramref name="inner"/> in every chat layer, the first added outermost.</summary>
    /// <param name="services">The service provider.</param>
    /// <param name="inner">The client to wrap.</param>
    /// <returns>The wrapped client, or <paramref name="inner"/> when there are no layers.</returns>
    public IChatClient Wrap(IServiceProvider services, IChatClient inner)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(inner);
        var client = inner;
        for (var i = _chatLayers.Count - 1; i >= 0; i--)
        {
            client = _chatLayers[i](services, client);
        }

        return client;
    }
}
