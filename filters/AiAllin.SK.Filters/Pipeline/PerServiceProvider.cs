using System.Runtime.CompilerServices;

namespace AiAllin.SK.Filters.Pipeline;

/// <summary>
/// Creates one policy instance per service provider, shared by the chat layer and the SK filters a <c>UseX</c> call
/// registers, so they share state (meters, loggers) without a service registration that a second <c>UseX</c> call
/// would collide with.
/// </summary>
/// <typeparam name="T">The policy type.</typeparam>
internal sealed class PerServiceProvider<T>(Func<IServiceProvider, T> create)
    where T : class
{
    private readonly ConditionalWeakTable<IServiceProvider, T> _instances = [];

    public T Get(IServiceProvider services) => _instances.GetValue(services, sp => create(sp));
}
