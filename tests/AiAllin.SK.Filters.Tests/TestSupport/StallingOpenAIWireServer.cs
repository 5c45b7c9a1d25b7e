using AiAllin.SK.Testing.Providers;
using Microsoft.AspNetCore.Http;

namespace AiAllin.SK.Filters.Tests.TestSupport;

/// <summary>
/// The kit's OpenAI wire server, plus a stall before any byte of the response (status line included) for a reply
/// with <see cref="ScriptedReply.StallAfter"/> = 0, streamed or not: a model that never answers.
/// </summary>
public sealed class StallingOpenAIWireServer : OpenAIWireServer
{
    /// <inheritdoc />
    protected override Task HandleAsync(HttpContext context, RecordedRequest request, ScriptedReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        return reply.StallAfter == 0 ? StallAsync(context) : base.HandleAsync(context, request, reply);
    }
}
