using System.Text.Json;
using System.Text.Json.Nodes;

namespace AiAllin.SK.Connectors.Gemini;

/// <summary>
/// Converts a JSON Schema (as <c>AIFunction.JsonSchema</c> and <c>ChatResponseFormat.ForJsonSchema</c> produce it) to
/// the OpenAPI 3.0 subset Gemini's <c>Schema</c> accepts: upper-case types, <c>nullable</c> instead of
/// <c>["x","null"]</c>, local <c>$ref</c>s inlined, <c>const</c> as a one-value <c>enum</c>, <c>oneOf</c> as
/// <c>anyOf</c>. Annotations Gemini does not know (<c>$schema</c>, <c>additionalProperties: false</c>, <c>examples</c>...)
/// are dropped; a constraint it cannot express (<c>allOf</c>, <c>not</c>, <c>uniqueItems</c>, a recursive <c>$ref</c>,
/// a dictionary schema, non-string enums...) fails with an <see cref="ArgumentException"/> that names the schema,
/// the location and the keyword, instead of being silently loosened.
/// </summary>
internal static class GeminiSchemaConverter
{
    private const int MaxDepth = 32;

    // Keywords copied as they are (values already in OpenAPI form).
    private static readonly HashSet<string> Copied = new(StringComparer.Ordinal)
    {
        "title", "description", "minItems", "maxItems", "minProperties", "maxProperties", "minLength", "maxLength",
        "pattern", "minimum", "maximum", "default", "example", "propertyOrdering",
    };

    // JSON Schema constraints with no Gemini equivalent: dropping one would let the model send what the schema forbids.
    private static readonly HashSet<string> Inexpressible = new(StringComparer.Ordinal)
    {
        "allOf", "not", "if", "then", "else", "patternProperties", "propertyNames", "dependentRequired",
        "dependentSchemas", "dependencies", "uniqueItems", "multipleOf", "exclusiveMinimum", "exclusiveMaximum",
        "contains", "minContains", "maxContains", "prefixItems", "unevaluatedItems", "additionalItems", "$dynamicRef",
    };

    // Number formats Gemini knows; others are hints it would reject, and dropping a hint loses no constraint.
    private static readonly HashSet<string> KnownFormats = new(StringComparer.Ordinal) { "enum", "date-time", "float", "double", "int32", "int64" };

    /// <summary>Converts a schema.</summary>
    /// <param name="schema">The JSON Schema.</param>
    /// <param name="owner">What the schema belongs to, for messages (for example <c>function 'get_forecast'</c>).</param>
    /// <returns>The Gemini schema.</returns>
    /// <exception cref="ArgumentException">The schema uses something Gemini cannot express; the message names it.</exception>
    public static JsonObject Convert(JsonElement schema, string owner)
    {
        return ConvertNode(schema, new Context(owner, schema), "#", []);
    }

    private static JsonObject ConvertNode(JsonElement schema, Context context, string path, HashSet<string> refsInUse)
    {
        if (refsInUse.Count > MaxDepth || path.Length > 2048)
        {
            throw context.Fail(path, "nesting", "the schema is nested too deeply");
        }

        if (schema.ValueKind == JsonValueKind.True)
        {
            throw context.Fail(path, "true", "a schema that accepts anything has no Gemini type");
        }

        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw context.Fail(path, schema.ValueKind.ToString(), "a schema must be a JSON object");
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            return ConvertReference(reference, schema, context, path, refsInUse);
        }

        var result = new JsonObject();
        foreach (var property in schema.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            var at = path + "/" + name;
            switch (name)
            {
                case "type":
                    SetType(result, value, context, at);
                    break;
                case "format":
                    if (value.ValueKind == JsonValueKind.String && KnownFormats.Contains(value.GetString()!))
                    {
                        result["format"] = value.GetString();
                    }

                    break;
                case "nullable":
                    result["nullable"] = value.ValueKind == JsonValueKind.True;
                    break;
                case "enum":
                    result["enum"] = Enum(value, context, at);
                    result["format"] ??= "enum";
                    break;
                case "const":
                    result["enum"] = Enum(JsonSerializer.SerializeToElement(new[] { value }, GeminiSchemaJsonContext.Default.JsonElementArray), context, at);
                    result["type"] ??= "STRING";
                    result["format"] ??= "enum";
                    break;
                case "properties":
                    var properties = new JsonObject();
                    foreach (var child in value.EnumerateObject())
                    {
                        properties[child.Name] = ConvertNode(child.Value, context, at + "/" + child.Name, refsInUse);
                    }

                    result["properties"] = properties;
                    break;
                case "required":
                    result["required"] = JsonNode.Parse(value.GetRawText());
                    break;
                case "items":
                    if (value.ValueKind == JsonValueKind.Array)
                    {
                        throw context.Fail(at, "items", "tuple schemas (an array of item schemas) cannot be expressed");
                    }

                    result["items"] = ConvertNode(value, context, at, refsInUse);
                    break;
                case "anyOf":
                case "oneOf":
                    var options = new JsonArray();
                    var index = 0;
                    foreach (var option in value.EnumerateArray())
                    {
                        var converted = ConvertNode(option, context, $"{at}/{index++}", refsInUse);
                        if (converted["type"]?.GetValue<string>() == "NULL")
                        {
                            result["nullable"] = true;
                            continue;
                        }

                        options.Add(converted);
                    }

                    if (options.Count == 1)
                    {
                        foreach (var (key, node) in ((JsonObject)options[0]!).ToList())
                        {
                            result[key] = node?.DeepClone();
                        }
                    }
                    else
                    {
                        result["anyOf"] = options;
                    }

                    break;
                case "additionalProperties":
                case "unevaluatedProperties":
                    if (value.ValueKind is not (JsonValueKind.False or JsonValueKind.True))
                    {
                        throw context.Fail(at, name, "a schema for extra properties (a dictionary) cannot be expressed; declare the properties instead");
                    }

                    break;
                default:
                    if (Copied.Contains(name))
                    {
                        result[name] = JsonNode.Parse(value.GetRawText());
                    }
                    else if (Inexpressible.Contains(name))
                    {
                        throw context.Fail(at, name, "Gemini's schema subset has no such constraint");
                    }

                    // Anything else is an annotation ($schema, examples, readOnly...) or a keyword JSON Schema itself
                    // ignores; Gemini would refuse the unknown field, and leaving it out loosens nothing.

                    break;
            }
        }

        return result;
    }

    private static JsonObject ConvertReference(JsonElement reference, JsonElement schema, Context context, string path, HashSet<string> refsInUse)
    {
        var target = reference.GetString() ?? string.Empty;
        if (!refsInUse.Add(target))
        {
            throw context.Fail(path, "$ref", $"the recursive reference '{target}' cannot be expressed (Gemini schemas have no references)");
        }

        try
        {
            var resolved = Resolve(target, context) ?? throw context.Fail(path, "$ref", $"the reference '{target}' does not point into this schema");
            var converted = ConvertNode(resolved, context, path, refsInUse);

            // Siblings of $ref (description, nullable) refine the referenced schema.
            foreach (var sibling in schema.EnumerateObject().Where(p => p.Name != "$ref"))
            {
                var extra = ConvertNode(JsonSerializer.SerializeToElement(new Dictionary<string, JsonElement> { [sibling.Name] = sibling.Value }, GeminiSchemaJsonContext.Default.DictionaryStringJsonElement), context, path, refsInUse);
                foreach (var (key, node) in extra.ToList())
                {
                    converted[key] = node?.DeepClone();
                }
            }

            return converted;
        }
        finally
        {
            refsInUse.Remove(target);
        }
    }

    private static JsonElement? Resolve(string target, Context context)
    {
        if (target == "#")
        {
            return context.Root;
        }

        if (!target.StartsWith("#/", StringComparison.Ordinal))
        {
            return null;
        }

        var current = context.Root;
        foreach (var raw in target[2..].Split('/'))
        {
            var segment = Uri.UnescapeDataString(raw).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var next))
            {
                current = next;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var index) && index >= 0 && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    private static void SetType(JsonObject result, JsonElement value, Context context, string path)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            result["type"] = TypeName(value.GetString()!, context, path);
            return;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw context.Fail(path, "type", "a type must be a string or an array of strings");
        }

        var types = value.EnumerateArray().Select(t => t.GetString() ?? string.Empty).ToList();
        if (types.Remove("null"))
        {
            result["nullable"] = true;
        }

        switch (types.Count)
        {
            case 0:
                result["type"] = "NULL";
                break;
            case 1:
                result["type"] = TypeName(types[0], context, path);
                break;
            default:
                result["anyOf"] = new JsonArray([.. types.Select(t => (JsonNode)new JsonObject { ["type"] = TypeName(t, context, path) })]);
                break;
        }
    }

    private static string TypeName(string type, Context context, string path) => type switch
    {
        "string" => "STRING",
        "number" => "NUMBER",
        "integer" => "INTEGER",
        "boolean" => "BOOLEAN",
        "array" => "ARRAY",
        "object" => "OBJECT",
        "null" => "NULL",
        _ => throw context.Fail(path, "type", $"the type '{type}' is not a JSON Schema type"),
    };

    private static JsonArray Enum(JsonElement value, Context context, string path)
    {
        var values = new JsonArray();
        foreach (var item in value.EnumerateArray())
        {
            // Gemini enums are lists of strings.
            if (item.ValueKind != JsonValueKind.String)
            {
                throw context.Fail(path, "enum", $"only string values can be listed, not {item.ValueKind.ToString().ToLowerInvariant()} {item.GetRawText()}");
            }

            values.Add(item.GetString());
        }

        return values;
    }

    private sealed class Context(string owner, JsonElement root)
    {
        public JsonElement Root { get; } = root;

        public ArgumentException Fail(string path, string keyword, string reason)
            => new($"Gemini cannot express the JSON schema of {owner}: '{keyword}' at {path}: {reason}.");
    }
}
