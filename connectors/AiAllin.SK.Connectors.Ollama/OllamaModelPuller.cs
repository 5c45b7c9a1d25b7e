using System.Net;
using AiAllin.SK.Connectors.Core;
using Microsoft.Extensions.Logging;
using OllamaSharp;
using OllamaSharp.Models;

namespace AiAllin.SK.Connectors.Ollama;

/// <summary>Pulls a missing model through OllamaSharp when the options ask for it, then lets the caller retry once.</summary>
internal static class OllamaModelPuller
{
    /// <summary>Returns whether the failure is Ollama's "model not found, try pulling it first".</summary>
    public static bool IsModelNotFound(ProviderException exception) =>
        exception.StatusCode == HttpStatusCode.NotFound
        && exception.ProviderMessage?.Contains("not found", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Runs <paramref name="send"/>; on "model not found" with pulls enabled, pulls the model and runs it once more.</summary>
    public static async Task<T> SendAsync<T>(OllamaApiClient api, OllamaOptions options, string model, ILogger logger, Func<Task<T>> send, CancellationToken cancellationToken)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (ProviderException ex) when (options.PullModelIfMissing && IsModelNotFound(ex))
        {
            OllamaLog.PullingModel(logger, model);
            await PullAsync(api, model, cancellationToken).ConfigureAwait(false);
            return await send().ConfigureAwait(false);
        }
    }

    private static async Task PullAsync(OllamaApiClient api, string model, CancellationToken cancellationToken)
    {
        string? last = null;
        try
        {
            await foreach (var status in api.PullModelAsync(new PullModelRequest { Model = model }, cancellationToken).ConfigureAwait(false))
            {
                last = status?.Status ?? last;
            }
        }
        catch (Exception ex) when (ex is not ProviderException and not OperationCanceledException)
        {
            throw new ProviderException(OllamaHttp.ProviderName, statusCode: null, errorCode: null, $"pulling model '{model}' failed: {ex.Message}", isTransient: false, innerException: ex);
        }

        if (!string.Equals(last, "success", StringComparison.OrdinalIgnoreCase))
        {
            throw new ProviderException(OllamaHttp.ProviderName, statusCode: null, errorCode: null, $"pulling model '{model}' ended without success (last status: {last ?? "none"}).", isTransient: false);
        }
    }
}
