using System.Text;
using System.Text.Json;
using AiAllin.SK.Connectors.Core.Http;

namespace AiAllin.SK.Connectors.Core.Tests.Http;

/// <summary>The guard's fast JSON check agrees with System.Text.Json's reader on valid documents and on their damaged variants.</summary>
public sealed class JsonSyntaxTests
{
    private static readonly string[] Documents =
    [
        """{"id":"chatcmpl-B9","object":"chat.completion.chunk","created":1725000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"token1 "},"logprobs":null,"finish_reason":null}]}""",
        """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"location\": \"San Fra"}}""",
        """ [ 1, -2.5e+3, 0, 0.25, 1E9, true, false, null, "a\u00e9\n\t\"\\\/", {}, [], [[{"k":[]}]] ] """,
        """{"error":{"message":"Overloaded","type":"server_error","param":null,"code":null}}""",
        "\"héllo – ✓\"",
        "-0",
        "{\r\n\t\"a\" : { \"b\" : [ 1 , 2 ] } \r\n}",
    ];

    private static readonly byte[] Replacements = "\"}],:x\\ 0-.e{[\u0001+tn/u"u8.ToArray();

    [Fact]
    public void EveryDocument_AndEveryTruncationMutationAndDeletion_GetsTheReadersVerdict()
    {
        var checkedCount = 0;
        foreach (var document in Documents)
        {
            var bytes = Encoding.UTF8.GetBytes(document);
            Assert.True(JsonSyntax.IsValid(bytes), document);
            for (var cut = 0; cut < bytes.Length; cut++)
            {
                Agree(bytes[..cut]);
                Agree([.. bytes[..cut], .. bytes[(cut + 1)..]]);
                foreach (var replacement in Replacements)
                {
                    var mutated = (byte[])bytes.Clone();
                    mutated[cut] = replacement;
                    Agree(mutated);
                    Agree([.. bytes[..cut], replacement, .. bytes[cut..]]);
                    checkedCount += 2;
                }
            }
        }

        Assert.True(checkedCount > 5000);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{} {}")]
    [InlineData("[1,]")]
    [InlineData("{\"a\":1,}")]
    [InlineData("01")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("\"\\x\"")]
    [InlineData("\"\\u12g4\"")]
    [InlineData("{'a':1}")]
    [InlineData("tru")]
    [InlineData("nulls")]
    [InlineData("[DONE]")]
    public void Invalid_IsRejected(string text)
    {
        Assert.False(JsonSyntax.IsValid(Encoding.UTF8.GetBytes(text)));
        Agree(Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public void Nesting_UpToTheReadersDepthLimit_IsAccepted()
    {
        var deep = new string('[', 64) + new string(']', 64);

        Assert.True(JsonSyntax.IsValid(Encoding.UTF8.GetBytes(deep)));
        Agree(Encoding.UTF8.GetBytes(deep));
    }

    private static void Agree(byte[] json)
    {
        bool readerAccepts;
        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
            }

            readerAccepts = true;
        }
        catch (JsonException)
        {
            readerAccepts = false;
        }

        Assert.True(readerAccepts == JsonSyntax.IsValid(json), $"reader {(readerAccepts ? "accepts" : "rejects")}: {Encoding.UTF8.GetString(json)}");
    }
}
