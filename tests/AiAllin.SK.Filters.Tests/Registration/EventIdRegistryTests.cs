using System.Reflection;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Logging;

namespace AiAllin.SK.Filters.Tests.Registration;

public sealed class EventIdRegistryTests
{
    private static Dictionary<string, int> Registry() =>
        typeof(AiAllinEventIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);

    [Fact]
    public void Registry_HasNoDuplicateIds()
    {
        var ids = Registry();

        Assert.Equal(ids.Count, ids.Values.Distinct().Count());
    }

    [Fact]
    public void EveryFilterLogEvent_UsesARegistryId_AndNoTwoEventsShareOne()
    {
        var registered = Registry().Values.ToHashSet();
        var logged = typeof(AiAllinFiltersBuilder).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToList();

        Assert.NotEmpty(logged);
        Assert.All(logged, x => Assert.Contains(x.Attribute!.EventId, registered));
        var shared = logged.GroupBy(x => x.Attribute!.EventId).Where(g => g.Select(x => x.Attribute!.Message).Distinct().Count() > 1).Select(g => g.Key);
        Assert.Empty(shared);
    }
}
