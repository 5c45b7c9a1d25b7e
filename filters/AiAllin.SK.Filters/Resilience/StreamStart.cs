using Microsoft.Extensions.AI;

namespace AiAllin.SK.Filters.Resilience;

/// <summary>An opened stream whose first update (if any) was read inside a resilience pipeline.</summary>
internal readonly record struct StreamStart(IAsyncEnumerator<ChatResponseUpdate> Updates, bool HasFirst);
