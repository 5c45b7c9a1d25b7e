using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.RateLimiting;

/// <summary>
/// A Semantic Kernel filter limiting how often kernel functions run, keyed by function name by default — meant for
/// native functions and tools that call paid or fragile APIs. Prompt functions are limited where they reach the
/// model (the <see cref="RateLimitingChatClient"/> layer); counting them here as well is the application's choice.
/// A refused invocation throws <see cref="RateLimitExceededException"/> (for automatic tool calls SK reports it to
/// the model as the tool's error).
/// </summary>
internal sealed class RateLimitingFunctionFilter : IFunctionInvocationFilter, IDisposable
{
    private readonly RateLimitPolicy _policy;
    private readonly Func<KernelFunction, KernelArguments, string?> _partitionKey;

    /// <summary>Creates the filter; the options are validated.</summary>
    /// <param name="options">The limits.</param>
    /// <param name="logger">Logs refusals; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public RateLimitingFunctionFilter(FunctionRateLimitOptions options, ILogger<RateLimitPolicy>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.InvocationsPerWindow < 1)
        {
            throw new ArgumentException($"FunctionRateLimitOptions.InvocationsPerWindow must be at least 1 (was {options.InvocationsPerWindow}).", nameof(options));
        }

        try
        {
            _policy = new RateLimitPolicy(
                new RateLimitOptions { RequestsPerWindow = options.InvocationsPerWindow, Window = options.Window, QueueLimit = options.QueueLimit, TimeProvider = options.TimeProvider },
                logger);
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException(exception.Message.Replace("RateLimitOptions.", "FunctionRateLimitOptions.", StringComparison.Ordinal), nameof(options), exception);
        }

        _partitionKey = options.PartitionKeySelector ?? DefaultKey;
    }

    /// <summary>Returns the invocation-limit statistics of a partition.</summary>
    /// <param name="partitionKey">The partition key, by default <c>"{plugin}.{function}"</c>.</param>
    /// <returns>The statistics; available permits are the invocations left in the current window.</returns>
    public RateLimiterStatistics? GetStatistics(string partitionKey) => _policy.GetRequestStatistics(partitionKey);

    /// <inheritdoc/>
    public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (_partitionKey(context.Function, context.Arguments) is not { } key)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        using (await _policy.AcquireAsync(key, 0, context.CancellationToken).ConfigureAwait(false))
        {
            await next(context).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _policy.Dispose();

    private static string DefaultKey(KernelFunction function, KernelArguments arguments)
        => string.IsNullOrEmpty(function.PluginName) ? function.Name : function.PluginName + "." + function.Name;
}
