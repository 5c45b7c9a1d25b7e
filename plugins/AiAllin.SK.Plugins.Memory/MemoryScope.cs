namespace AiAllin.SK.Plugins.Memory;

/// <summary>
/// The namespace a memory belongs to: a tenant, optionally narrowed to a user and a session. The application sets it
/// (never the model); every read, search, list and delete of <see cref="SemanticMemory"/> filters on it inside the
/// store query, so one scope never sees or removes another's memories.
/// </summary>
/// <remarks>
/// Scopes match exactly: memories written with a session are visible to that session only, memories written without
/// one to the user's scope without a session. Use <see cref="Begin"/> to set the ambient scope that the kernel
/// functions, text search and automatic recall use.
/// </remarks>
public sealed record MemoryScope
{
    /// <summary>The longest tenant, user or session id accepted.</summary>
    public const int MaxIdLength = 256;

    private static readonly AsyncLocal<MemoryScope?> AmbientScope = new();

    /// <summary>Initializes a new instance of the <see cref="MemoryScope"/> class.</summary>
    /// <param name="tenant">The tenant; required.</param>
    /// <param name="user">The user within the tenant, or <see langword="null"/>.</param>
    /// <param name="session">The session within the user, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An id is empty, longer than <see cref="MaxIdLength"/> or holds control characters.</exception>
    public MemoryScope(string tenant, string? user = null, string? session = null)
    {
        Tenant = Validate(tenant, nameof(tenant), required: true)!;
        User = Validate(user, nameof(user), required: false);
        Session = Validate(session, nameof(session), required: false);
    }

    /// <summary>Gets the tenant.</summary>
    public string Tenant { get; }

    /// <summary>Gets the user, or <see langword="null"/>.</summary>
    public string? User { get; }

    /// <summary>Gets the session, or <see langword="null"/>.</summary>
    public string? Session { get; }

    /// <summary>Gets the scope set by <see cref="Begin"/> for the current asynchronous flow, or <see langword="null"/>.</summary>
    public static MemoryScope? Current => AmbientScope.Value;

    /// <summary>
    /// Sets <paramref name="scope"/> as the ambient scope of the current asynchronous flow (it flows into kernel
    /// function calls, including the model's tool calls) until the returned handle is disposed.
    /// </summary>
    /// <param name="scope">The scope of the request being served.</param>
    /// <returns>A handle that restores the previous scope.</returns>
    public static IDisposable Begin(MemoryScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var previous = AmbientScope.Value;
        AmbientScope.Value = scope;
        return new Restore(previous);
    }

    // Control characters are rejected in ids, so the separator keeps the key unambiguous.
    internal string Key => string.Join('\u001f', Tenant, User ?? string.Empty, Session ?? string.Empty);

    /// <inheritdoc />
    public override string ToString() => $"tenant '{Tenant}', user '{User}', session '{Session}'";

    private static string? Validate(string? value, string name, bool required)
    {
        if (value is null)
        {
            return required ? throw new ArgumentNullException(name) : null;
        }

        if (value.Length == 0 || string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"The memory scope's {name} must not be empty.", name);
        }

        if (value.Length > MaxIdLength)
        {
            throw new ArgumentException($"The memory scope's {name} is {value.Length} characters long; at most {MaxIdLength} are allowed.", name);
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"The memory scope's {name} must not contain control characters.", name);
            }
        }

        return value;
    }

    private sealed class Restore(MemoryScope? previous) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                AmbientScope.Value = previous;
            }
        }
    }
}
