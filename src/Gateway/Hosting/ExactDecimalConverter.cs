using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ReturnOps.Grains.Rules;

namespace ReturnOps.Gateway.Hosting;

/// <summary>
/// Decimals are read exactly or not at all. The framework's reader rounds a number with more digits than a decimal holds
/// (<c>2.0099999999999999999999999999999</c> became 2.01 and then passed the grains' check for whole cents), so a number that
/// a decimal cannot hold exactly is refused here, as a validation error (422), before anything can round it.
/// </summary>
public sealed class ExactDecimalConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out var value))
        {
            // Strings, and numbers beyond a decimal's range: malformed, as the framework's own converter says (400).
            throw new JsonException();
        }
        var text = Encoding.ASCII.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
        return IsExactly(text, value) ? value : throw new DomainRuleException(RuleCode.Validation,
            $"The number {(text.Length > 40 ? text[..40] + "…" : text)} has more digits than are kept; amounts are exact euros in whole cents.");
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);

    /// <summary>Whether the JSON number <paramref name="text"/> (sign, digits, fraction, exponent) is <paramref name="value"/> exactly.</summary>
    private static bool IsExactly(string text, decimal value)
    {
        var exponentAt = text.IndexOfAny(['e', 'E']);
        var exponent = 0;
        if (exponentAt >= 0 && !int.TryParse(text.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
        {
            return false;
        }
        var number = exponentAt < 0 ? text : text[..exponentAt];
        var point = number.IndexOf('.', StringComparison.Ordinal);
        var digits = (point < 0 ? number : number.Remove(point, 1)).TrimStart('-');
        // The text is written × 10^(exponent - fraction digits); the value is held × 10^-scale.
        var written = BigInteger.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        var held = Unscaled(value, out var scale);
        if (written.IsZero || held.IsZero)
        {
            return written.IsZero && held.IsZero;
        }
        var shift = (long)exponent - (point < 0 ? 0 : number.Length - point - 1) + scale;
        if (Math.Abs(shift) > digits.Length + 30)
        {
            // A decimal holds at most 29 digits: no power of ten that large can make the two equal.
            return false;
        }
        return shift >= 0 ? written * BigInteger.Pow(10, (int)shift) == held : written == held * BigInteger.Pow(10, (int)-shift);
    }

    private static BigInteger Unscaled(decimal value, out int scale)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        scale = (bits[3] >> 16) & 0xFF;
        return ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
    }
}
