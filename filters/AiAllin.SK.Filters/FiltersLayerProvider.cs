using AiAllin.SK.Connectors.Core.ChatClients;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters;

/// <summary>Hands the chat layers of one <c>AddAiAllinFilters</c> call to the provider registrations that apply them.</summary>
internal sealed class FiltersLayerProvider(AiAllinFiltersBuilder builder) : IChatClientLayerProvider
{
    public IChatClient Wrap(IServiceProvider services, IChatClient inner) => builder.Wrap(services, inner);
}
