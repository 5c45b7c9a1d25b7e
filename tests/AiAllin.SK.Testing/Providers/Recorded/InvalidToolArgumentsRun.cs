using Microsoft.SemanticKernel;

namespace AiAllin.SK.Testing.Providers.Recorded;

/// <summary>
/// Runs a prompt through a kernel with a provider registered and auto function calling on, with a plugin
/// <c>Weather.Get(city)</c> whose parameter is optional, so a call with empty arguments would run it rather than fail
/// on a missing argument; returns the streamed text and every city the function was called with.
/// </summary>
public static class InvalidToolArgumentsRun
{
    /// <summary>The tool result Microsoft.Extensions.AI's tool loop sends for a call that failed.</summary>
    public const string ErrorResult = "Error: Function failed.";

    /// <summary>Adds the plugin, builds the kernel and streams the prompt.</summary>
    /// <param name="builder">A kernel builder with the provider registered.</param>
    /// <param name="settings">The provider's execution settings; plain settings with auto function choice when <see langword="null"/>.</param>
    /// <returns>The text and the cities the plugin saw.</returns>
    public static async Task<(string Text, List<string?> Cities)> StreamAsync(IKernelBuilder builder, PromptExecutionSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cities = new List<string?>();
        builder.Plugins.AddFromFunctions("Weather", [KernelFunctionFactory.CreateFromMethod((string? city = null) => { cities.Add(city); return "21 °C"; }, "Get")]);
        var kernel = builder.Build();
        settings ??= new PromptExecutionSettings();
        settings.FunctionChoiceBehavior = FunctionChoiceBehavior.Auto();
        var text = string.Empty;
        await foreach (var chunk in kernel.InvokePromptStreamingAsync("Weather in Bratislava?", new KernelArguments(settings), cancellationToken: ReplayAssertions.Guard()))
        {
            text += chunk.ToString();
        }

        return (text, cities);
    }
}
