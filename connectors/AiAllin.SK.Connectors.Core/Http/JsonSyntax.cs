using System.Buffers;

namespace AiAllin.SK.Connectors.Core.Http;

/// <summary>
/// A fast check that a UTF-8 span is exactly one JSON value (RFC 8259 grammar, surrounding whitespace allowed), for
/// the stream guard's per-event check: reading every event with <see cref="System.Text.Json.Utf8JsonReader"/> cost
/// about a tenth of the SDK's own per-chunk time, this scan a third of that.
/// </summary>
/// <remarks>
/// It never calls valid JSON invalid in a way that matters: <see cref="SseEventValidator.CheckJson"/> confirms every
/// rejection with <see cref="System.Text.Json.Utf8JsonReader"/>, which also supplies the error message. String
/// contents are not checked for valid UTF-8 (as the reader, which checks them only when a string is read).
/// </remarks>
internal static class JsonSyntax
{
    private const int MaxDepth = 64;
    private static readonly SearchValues<byte> StringSpecials = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    /// <summary>Returns whether <paramref name="json"/> is one complete JSON value.</summary>
    /// <param name="json">The UTF-8 text.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsValid(ReadOnlySpan<byte> json)
    {
        // One bit per open container: 1 = object, 0 = array.
        ulong containers = 0;
        var depth = 0;
        var i = SkipWhitespace(json, 0);
        while (true)
        {
            // Expecting a value.
            if (i >= json.Length)
            {
                return false;
            }

            var c = json[i];
            if (c == (byte)'{' || c == (byte)'[')
            {
                if (depth == MaxDepth)
                {
                    return false;
                }

                var isObject = c == (byte)'{';
                containers = (containers << 1) | (isObject ? 1UL : 0UL);
                depth++;
                i = SkipWhitespace(json, i + 1);
                if (i < json.Length && json[i] == (isObject ? (byte)'}' : (byte)']'))
                {
                    containers >>= 1;
                    depth--;
                    i++;
                }
                else if (isObject)
                {
                    if (!TryMember(json, ref i))
                    {
                        return false;
                    }

                    continue;
                }
                else
                {
                    continue;
                }
            }
            else if (!TryScalar(json, ref i))
            {
                return false;
            }

            // After a value: close containers or move to the next element.
            while (true)
            {
                i = SkipWhitespace(json, i);
                if (depth == 0)
                {
                    return i == json.Length;
                }

                if (i >= json.Length)
                {
                    return false;
                }

                var inObject = (containers & 1) == 1;
                c = json[i];
                if (c == (byte)',')
                {
                    i = SkipWhitespace(json, i + 1);
                    if (inObject && !TryMember(json, ref i))
                    {
                        return false;
                    }

                    break;
                }

                if (c != (inObject ? (byte)'}' : (byte)']'))
                {
                    return false;
                }

                containers >>= 1;
                depth--;
                i++;
            }
        }
    }

    // Reads `"name" :` and leaves i at the member's value.
    private static bool TryMember(ReadOnlySpan<byte> json, ref int i)
    {
        if (i >= json.Length || json[i] != (byte)'"' || !TryString(json, ref i))
        {
            return false;
        }

        i = SkipWhitespace(json, i);
        if (i >= json.Length || json[i] != (byte)':')
        {
            return false;
        }

        i = SkipWhitespace(json, i + 1);
        return true;
    }

    private static bool TryScalar(ReadOnlySpan<byte> json, ref int i)
    {
        switch (json[i])
        {
            case (byte)'"':
                return TryString(json, ref i);
            case (byte)'t':
                return TryLiteral(json, ref i, "true"u8);
            case (byte)'f':
                return TryLiteral(json, ref i, "false"u8);
            case (byte)'n':
                return TryLiteral(json, ref i, "null"u8);
            default:
                return TryNumber(json, ref i);
        }
    }

    private static bool TryLiteral(ReadOnlySpan<byte> json, ref int i, ReadOnlySpan<byte> literal)
    {
        if (!json[i..].StartsWith(literal))
        {
            return false;
        }

        i += literal.Length;
        return true;
    }

    // i is at the opening quote; on success it is just past the closing one.
    private static bool TryString(ReadOnlySpan<byte> json, ref int i)
    {
        i++;
        while (true)
        {
            var next = json[i..].IndexOfAny(StringSpecials);
            if (next < 0)
            {
                return false;
            }

            i += next;
            var c = json[i];
            if (c == (byte)'"')
            {
                i++;
                return true;
            }

            if (c != (byte)'\\' || i + 1 >= json.Length)
            {
                return false;
            }

            var escaped = json[i + 1];
            if (escaped == (byte)'u')
            {
                if (i + 6 > json.Length || !IsHex(json[i + 2]) || !IsHex(json[i + 3]) || !IsHex(json[i + 4]) || !IsHex(json[i + 5]))
                {
                    return false;
                }

                i += 6;
            }
            else if (escaped is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t')
            {
                i += 2;
            }
            else
            {
                return false;
            }
        }
    }

    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    private static bool TryNumber(ReadOnlySpan<byte> json, ref int i)
    {
        if (json[i] == (byte)'-')
        {
            i++;
        }

        if (i >= json.Length || !IsDigit(json[i]))
        {
            return false;
        }

        if (json[i] == (byte)'0')
        {
            i++;
        }
        else
        {
            i = SkipDigits(json, i);
        }

        if (i < json.Length && json[i] == (byte)'.')
        {
            i++;
            if (i >= json.Length || !IsDigit(json[i]))
            {
                return false;
            }

            i = SkipDigits(json, i);
        }

        if (i < json.Length && (json[i] == (byte)'e' || json[i] == (byte)'E'))
        {
            i++;
            if (i < json.Length && (json[i] == (byte)'+' || json[i] == (byte)'-'))
            {
                i++;
            }

            if (i >= json.Length || !IsDigit(json[i]))
            {
                return false;
            }

            i = SkipDigits(json, i);
        }

        // A number must end at a delimiter, not run into letters ("1x" or "01").
        return i >= json.Length || json[i] is (byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
    }

    private static int SkipDigits(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && IsDigit(json[i]))
        {
            i++;
        }

        return i;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> json, int i)
    {
        while (i < json.Length && json[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }

    private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;

    private static bool IsHex(byte c) => IsDigit(c) || (uint)((c | 0x20) - 'a') <= 5;
}
