using Microsoft.SemanticKernel;

namespace AiAllin.SK.Filters.Tests.TestSupport;

/// <summary>Small SK plugins for filter tests.</summary>
public static class TestPlugins
{
    /// <summary>Creates plugin <c>Weather</c> with function <c>GetWeather(city)</c> returning "Sunny in {city}".</summary>
    /// <returns>The plugin.</returns>
    public static KernelPlugin Weather() => KernelPluginFactory.CreateFromFunctions(
        "Weather",
        [KernelFunctionFactory.CreateFromMethod((string city) => $"Sunny in {city}", "GetWeather", "Gets the weather of a city.")]);

    /// <summary>
    /// A responder that asks for the first tool offered (with <c>city=Paris</c>) on the first call and answers
    /// <paramref name="finalText"/> afterwards — tool names are whatever SK made of the plugin.
    /// </summary>
    /// <param name="finalText">The final answer.</param>
    /// <returns>The responder.</returns>
    public static Func<ScriptedCall, ScriptedTurn> CallFirstToolThenAnswer(string finalText = "It is sunny.") => call =>
        call.Index == 0 && call.Options?.Tools is { Count: > 0 } tools
            ? ScriptedTurn.ToolCall(tools[0].Name, new Dictionary<string, object?> { ["city"] = "Paris" })
            : ScriptedTurn.FromText(finalText).WithUsage(30, 4);
}
