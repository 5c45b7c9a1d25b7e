using System.ComponentModel;
using System.Globalization;
using Microsoft.SemanticKernel;

namespace AiAllin.SK.Chat;

/// <summary>A tool the model can call, so the chat shows tool calls happening mid-answer.</summary>
public sealed class ClockPlugin
{
    [KernelFunction("now")]
    [Description("Gets the current date and time in UTC, in ISO 8601.")]
    public static string Now() => DateTimeOffset.UtcNow.ToString("u", CultureInfo.InvariantCulture);

    [KernelFunction("days_until")]
    [Description("Counts the days from today (UTC) until a date given as yyyy-MM-dd.")]
    public static int DaysUntil([Description("The date, yyyy-MM-dd")] string date) =>
        (DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayNumber - DateOnly.FromDateTime(DateTime.UtcNow).DayNumber);
}
