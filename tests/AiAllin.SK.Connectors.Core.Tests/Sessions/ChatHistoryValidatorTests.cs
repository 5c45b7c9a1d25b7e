using AiAllin.SK.Connectors.Core.Sessions;
using Microsoft.Extensions.AI;

namespace AiAllin.SK.Connectors.Core.Tests.Sessions;

public sealed class ChatHistoryValidatorTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("user:42/chat#1")]
    [InlineData("ünïcødé-✓")]
    public void ValidateSessionId_AcceptsOrdinaryIds(string id)
    {
        ChatHistoryValidator.ValidateSessionId(id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t")]
    [InlineData("a\u0001b")]
    [InlineData("a\u007Fb")]
    [InlineData("line\r\n")]
    public void ValidateSessionId_RejectsBadIds(string? id)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => ChatHistoryValidator.ValidateSessionId(id));

        Assert.Equal("sessionId", ex.ParamName);
    }

    [Fact]
    public void ValidateSessionId_RejectsOneCharacterOverTheLimit()
    {
        ChatHistoryValidator.ValidateSessionId(new string('a', ChatHistoryValidator.MaxSessionIdLength));

        var ex = Assert.Throws<ArgumentException>(() => ChatHistoryValidator.ValidateSessionId(new string('a', ChatHistoryValidator.MaxSessionIdLength + 1)));
        Assert.Contains("129", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateCreateOptions_TooManyMetadataEntries_Throws()
    {
        var metadata = Enumerable.Range(0, ChatHistoryValidator.MaxMetadataEntries + 1).ToDictionary(i => $"k{i}", i => "v");

        var ex = Assert.Throws<ArgumentException>(() => ChatHistoryValidator.ValidateCreateOptions(new() { OwnerId = "o", Metadata = metadata }));

        Assert.Equal("options.Metadata", ex.ParamName);
    }

    [Fact]
    public void ValidateCreateOptions_MetadataValueTooLong_Throws()
    {
        var metadata = new Dictionary<string, string> { ["k"] = new string('v', ChatHistoryValidator.MaxMetadataValueLength + 1) };

        Assert.Throws<ArgumentException>(() => ChatHistoryValidator.ValidateCreateOptions(new() { OwnerId = "o", Metadata = metadata }));
    }

    [Fact]
    public void SerializeMessages_ReturnsEachMessagesJsonInOrder()
    {
        var serialized = ChatHistoryValidator.SerializeMessages([new ChatMessage(ChatRole.User, "a"), new ChatMessage(ChatRole.Assistant, "b")], 1000);

        Assert.Equal(["a", "b"], serialized.Select(json => ChatMessageSerializer.Deserialize(json).Text));
    }

    [Fact]
    public void SerializeMessages_AtExactlyTheLimit_IsAccepted()
    {
        var message = new ChatMessage(ChatRole.User, "exact");
        var size = ChatMessageSerializer.SerializeToUtf8Bytes(message).Length;

        Assert.Single(ChatHistoryValidator.SerializeMessages([message], size));
        var ex = Assert.Throws<ArgumentException>(() => ChatHistoryValidator.SerializeMessages([message], size - 1));
        Assert.Contains($"{size} bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SerializeMessages_NamesTheOffendingMessage()
    {
        var ex = Assert.Throws<ArgumentException>(() => ChatHistoryValidator.SerializeMessages([new ChatMessage(ChatRole.User, "ok"), new ChatMessage(ChatRole.User, new string('x', 200))], 100));

        Assert.Contains("Message 1", ex.Message, StringComparison.Ordinal);
        Assert.Equal("messages", ex.ParamName);
    }

    [Theory]
    [InlineData("a\0b", true)]
    [InlineData("\0", true)]
    [InlineData("a\\u0000b", false)]
    [InlineData("a\\\0b", true)]
    [InlineData("a\\\\u0000b", false)]
    public void SerializeMessages_RejectsOnlyARealNulCharacter(string text, bool rejected)
    {
        var messages = new[] { new ChatMessage(ChatRole.User, text) };

        if (rejected)
        {
            Assert.Throws<ArgumentException>(() => ChatHistoryValidator.SerializeMessages(messages, 1000));
        }
        else
        {
            Assert.Equal(text, ChatMessageSerializer.Deserialize(Assert.Single(ChatHistoryValidator.SerializeMessages(messages, 1000))).Text);
        }
    }

    [Fact]
    public void SerializeMessages_NulInAFunctionArgument_IsRejected()
    {
        var message = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c", "f", new Dictionary<string, object?> { ["x"] = "a\0" })]);

        Assert.Throws<ArgumentException>(() => ChatHistoryValidator.SerializeMessages([message], 1000));
    }

    [Fact]
    public void ValidateQuery_And_ReadOptions_RejectNegativeValues()
    {
        Assert.Equal("query.Skip", Assert.Throws<ArgumentOutOfRangeException>(() => ChatHistoryValidator.ValidateQuery(new() { Skip = -1 })).ParamName);
        Assert.Equal("query.Take", Assert.Throws<ArgumentOutOfRangeException>(() => ChatHistoryValidator.ValidateQuery(new() { Take = 0 })).ParamName);
        Assert.Equal("options.MaxMessages", Assert.Throws<ArgumentOutOfRangeException>(() => ChatHistoryValidator.ValidateReadOptions(new() { MaxMessages = -1 })).ParamName);
        Assert.Equal("expectedVersion", Assert.Throws<ArgumentOutOfRangeException>(() => ChatHistoryValidator.ValidateExpectedVersion(-1)).ParamName);
    }
}
