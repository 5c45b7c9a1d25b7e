using System.Text.Json;

namespace AiAllin.SK.Connectors.Gemini.Tests;

public sealed class GeminiSchemaConverterTests
{
    [Fact]
    public void Convert_InlinesLocalRefsMapsNullableConstAndOneOf()
    {
        const string Schema = """
            {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","$defs":{"unit":{"type":"string","enum":["C","F"],"description":"Unit"}},
             "properties":{"unit":{"$ref":"#/$defs/unit"},"note":{"type":["string","null"],"format":"email"},"kind":{"const":"forecast"},
             "when":{"oneOf":[{"type":"string","format":"date-time"},{"type":"null"}]},"days":{"type":"integer","minimum":1,"maximum":14,"default":3}},
             "required":["unit"],"additionalProperties":false}
            """;

        var converted = GeminiSchemaConverter.Convert(JsonDocument.Parse(Schema).RootElement, "test").ToJsonString();

        Assert.Equal(
            """{"type":"OBJECT","properties":{"unit":{"type":"STRING","enum":["C","F"],"format":"enum","description":"Unit"},"note":{"nullable":true,"type":"STRING"},"kind":{"enum":["forecast"],"type":"STRING","format":"enum"},"when":{"nullable":true,"type":"STRING","format":"date-time"},"days":{"type":"INTEGER","minimum":1,"maximum":14,"default":3}},"required":["unit"]}""",
            converted);
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"allOf":[{"type":"string"}]}}}""", "'allOf' at #/properties/a/allOf")]
    [InlineData("""{"type":"object","properties":{"m":{"type":"object","additionalProperties":{"type":"integer"}}}}""", "'additionalProperties' at #/properties/m/additionalProperties")]
    [InlineData("""{"type":"object","properties":{"n":{"type":"integer","enum":[1,2]}}}""", "'enum' at #/properties/n/enum: only string values")]
    [InlineData("""{"$defs":{"node":{"type":"object","properties":{"next":{"$ref":"#/$defs/node"}}}},"$ref":"#/$defs/node"}""", "recursive reference '#/$defs/node'")]
    [InlineData("""{"type":"object","properties":{"x":{"type":"number","exclusiveMinimum":0}}}""", "'exclusiveMinimum' at #/properties/x/exclusiveMinimum")]
    [InlineData("""{"type":"array","items":[{"type":"string"}]}""", "tuple schemas")]
    public void Convert_WhatGeminiCannotExpress_FailsNamingTheKeywordAndPlace(string schema, string expected)
    {
        var exception = Assert.Throws<ArgumentException>(() => GeminiSchemaConverter.Convert(JsonDocument.Parse(schema).RootElement, "function 'f'"));

        Assert.Contains("function 'f'", exception.Message, StringComparison.Ordinal);
        Assert.Contains(expected, exception.Message, StringComparison.Ordinal);
    }
}
