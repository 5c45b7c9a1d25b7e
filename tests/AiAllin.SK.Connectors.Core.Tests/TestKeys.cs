namespace AiAllin.SK.Connectors.Core.Tests;

/// <summary>Key-shaped strings (not real keys) used to prove that nothing leaks.</summary>
internal static class TestKeys
{
    public const string OpenAI = "sk-proj-Zq4T9vXw2LmN8bR1cY7hJ3kP6sD0fG5aE2uI9oQ";
    public const string Anthropic = "sk-ant-api03-Hk3mP9qR2sT5vW8xY1zA4bC7dE0fG3hJ6kL9mN2pQ5rS8tU1vW4xY7zA0bC3dE6fG-AbCdEfAA";
    public const string Gemini = "AIzaSyD4x9Kq2LmN7pR3sT8vW1yZ5bC0dF6gH2j";
    public const string Cohere = "Xb7Kq2LmN9pR4sT1vW6yZ3aC8dF0gH5jK2mP7qR4";
}
