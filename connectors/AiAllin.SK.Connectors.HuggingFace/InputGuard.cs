namespace AiAllin.SK.Connectors.HuggingFace;

/// <summary>Checks the texts handed to a generator or reranker before anything is sent.</summary>
internal static class InputGuard
{
    /// <summary>Copies the values once, failing on a <see langword="null"/> element with its index.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An element is <see langword="null"/>.</exception>
    public static string[] Materialize(IEnumerable<string> values, string parameterName = "values")
    {
        ArgumentNullException.ThrowIfNull(values, parameterName);
        var inputs = values.ToArray();
        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is null)
            {
                throw new ArgumentException($"The text at index {i} is null; every text must be a string (empty is fine).", parameterName);
            }
        }

        return inputs;
    }
}
