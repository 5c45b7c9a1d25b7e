using System.ClientModel.Primitives;

namespace AiAllin.SK.Connectors.OpenAI;

/// <summary>
/// Adds Azure OpenAI's <c>api-version</c> query parameter to every request the OpenAI SDK sends; the SDK builds the
/// path from the deployment-scoped endpoint but knows nothing of the version.
/// </summary>
internal sealed class AzureOpenAIApiVersionPolicy : PipelinePolicy
{
    private readonly string _parameter;

    /// <summary>Creates the policy.</summary>
    /// <param name="apiVersion">The version, for example <c>2024-10-21</c> or <c>preview</c>.</param>
    public AzureOpenAIApiVersionPolicy(string apiVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiVersion);
        _parameter = "api-version=" + Uri.EscapeDataString(apiVersion);
    }

    /// <inheritdoc />
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        AddVersion(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    /// <inheritdoc />
    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        AddVersion(message);
        return ProcessNextAsync(message, pipeline, currentIndex);
    }

    private void AddVersion(PipelineMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Request.Uri is not { } uri || uri.Query.Contains("api-version=", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var builder = new UriBuilder(uri);
        builder.Query = builder.Query.Length > 1 ? builder.Query[1..] + "&" + _parameter : _parameter;
        message.Request.Uri = builder.Uri;
    }
}
