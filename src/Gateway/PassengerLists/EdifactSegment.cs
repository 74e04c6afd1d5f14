using System.Text;

namespace ReturnOps.Gateway.PassengerLists;

/// <summary>
/// One UN/EDIFACT segment (ISO 9735 syntax version 4) in the default separators the service string advice declares:
/// <c>:</c> between components, <c>+</c> between elements, <c>?</c> to release a separator inside data, <c>'</c> to end a segment.
/// Data is reduced to syntax level A (UNOA): upper case Latin letters, digits, space and its few signs; anything else, letters
/// with diacritics too, becomes a space, so that no receiver refuses the interchange over one character of one traveller.
/// Transliteration (ICAO 9303 Part 3) is the sending state's: the gateway runs with invariant globalization, without the
/// Unicode data to do it right.
/// </summary>
public static class EdifactSegment
{
    public const char ComponentSeparator = ':';
    public const char ElementSeparator = '+';
    public const char ReleaseCharacter = '?';
    public const char SegmentTerminator = '\'';

    /// <summary>UNA: the separators above, the decimal mark and a reserved space, declared once before the interchange.</summary>
    public const string ServiceStringAdvice = "UNA:+.? '";

    private const string LevelASigns = " .,-()/='+:?!\"%&*;<>";

    /// <summary>
    /// <c>TAG+a:b+c'</c>: each element a list of components. Empty trailing components and elements are left out, as the
    /// syntax asks; empty ones in between stay as positions (<c>NAD+FL+++NAME</c>).
    /// </summary>
    public static string Of(string tag, params string?[][] elements)
    {
        var text = new StringBuilder(tag);
        var last = Array.FindLastIndex(elements, e => e.Any(c => !string.IsNullOrEmpty(c)));
        for (var i = 0; i <= last; i++)
        {
            text.Append(ElementSeparator);
            var components = elements[i];
            var lastComponent = Array.FindLastIndex(components, c => !string.IsNullOrEmpty(c));
            for (var j = 0; j <= lastComponent; j++)
            {
                if (j > 0)
                {
                    text.Append(ComponentSeparator);
                }
                text.Append(Escape(components[j]));
            }
        }
        return text.Append(SegmentTerminator).ToString();
    }

    /// <summary>A one-component element, the common case.</summary>
    public static string?[] E(params string?[] components) => components;

    /// <summary>Level A text with the four service characters released by <c>?</c>.</summary>
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        var text = new StringBuilder(value.Length);
        foreach (var c in LevelA(value))
        {
            if (c is ComponentSeparator or ElementSeparator or ReleaseCharacter or SegmentTerminator)
            {
                text.Append(ReleaseCharacter);
            }
            text.Append(c);
        }
        return text.ToString();
    }

    private static string LevelA(string value) =>
        string.Concat(value.Select(c => char.ToUpperInvariant(c) is var upper && (char.IsAsciiLetterUpper(upper) || char.IsAsciiDigit(upper) || LevelASigns.Contains(upper))
            ? upper : ' '));
}
