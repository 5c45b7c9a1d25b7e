using System.Security.Cryptography;
using AiAllin.SK.Connectors.Core.Sessions;

namespace AiAllin.SK.Connectors.Core.Tests.Sessions;

public sealed class AesGcmChatContentProtectorTests
{
    private static readonly byte[] Plaintext = """{"role":"user","contents":[{"$type":"text","text":"secret"}]}"""u8.ToArray();

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(32)]
    public void Protect_ThenUnprotect_ReturnsThePlaintext(int keyBytes)
    {
        var protector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(keyBytes));

        var protectedData = protector.Protect(Plaintext, "session-1", 7);

        Assert.Equal(Plaintext, protector.Unprotect(protectedData, "session-1", 7));
        Assert.Equal(Plaintext.Length + 29, protectedData.Length);
        Assert.Equal(-1, protectedData.AsSpan().IndexOf("secret"u8));
    }

    [Fact]
    public void Protect_SameInputTwice_UsesFreshNonces()
    {
        var protector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32));

        Assert.NotEqual(protector.Protect(Plaintext, "s", 1), protector.Protect(Plaintext, "s", 1));
    }

    [Fact]
    public void Unprotect_AtAnotherSequence_Throws()
    {
        var protector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32));
        var protectedData = protector.Protect(Plaintext, "s", 1);

        var ex = Assert.Throws<CryptographicException>(() => protector.Unprotect(protectedData, "s", 2));

        Assert.Contains("message 2 of session 's'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s1", "s2")]
    [InlineData("ab", "a")]
    [InlineData("", "x")]
    public void Unprotect_InAnotherSession_Throws(string written, string read)
    {
        var protector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32));
        var protectedData = protector.Protect(Plaintext, written, 1);

        Assert.Throws<CryptographicException>(() => protector.Unprotect(protectedData, read, 1));
    }

    [Fact]
    public void Unprotect_WithAnotherKey_Throws()
    {
        var protectedData = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32)).Protect(Plaintext, "s", 1);

        Assert.Throws<CryptographicException>(() => new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32)).Unprotect(protectedData, "s", 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(28)]
    [InlineData(29)]
    [InlineData(-1)]
    public void Unprotect_WithAnyByteFlipped_Throws(int position)
    {
        var protector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32));
        var protectedData = protector.Protect(Plaintext, "s", 1);
        protectedData[position < 0 ? protectedData.Length + position : position] ^= 0x40;

        Assert.Throws<CryptographicException>(() => protector.Unprotect(protectedData, "s", 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(28)]
    public void Unprotect_TruncatedData_Throws(int length)
    {
        var protector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(32));
        var protectedData = protector.Protect(Plaintext, "s", 1);

        Assert.Throws<CryptographicException>(() => protector.Unprotect(protectedData.AsSpan(0, length), "s", 1));
    }

    [Fact]
    public void Protect_EmptyPlaintext_RoundTrips()
    {
        var protector = new AesGcmChatContentProtector(RandomNumberGenerator.GetBytes(16));

        Assert.Empty(protector.Unprotect(protector.Protect([], "s", 1), "s", 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(31)]
    [InlineData(64)]
    public void Constructor_KeyOfAnInvalidLength_Throws(int length)
    {
        var ex = Assert.Throws<ArgumentException>(() => new AesGcmChatContentProtector(new byte[length]));

        Assert.Equal("key", ex.ParamName);
    }

    [Fact]
    public void Constructor_CopiesTheKey()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var protector = new AesGcmChatContentProtector(key);
        var protectedData = protector.Protect(Plaintext, "s", 1);

        Array.Clear(key);

        Assert.Equal(Plaintext, protector.Unprotect(protectedData, "s", 1));
    }
}
