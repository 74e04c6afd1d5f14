using System.Text;

namespace ReturnOps.Gateway.Tests.PassengerLists;

/// <summary>One segment as read: its tag, and each element's components with release characters removed.</summary>
public sealed record ReadSegment(string Tag, IReadOnlyList<IReadOnlyList<string>> Elements)
{
    /// <summary>Component <paramref name="component"/> of element <paramref name="element"/> (both 0-based, the tag not counted); "" when absent.</summary>
    public string this[int element, int component = 0] =>
        element < Elements.Count && component < Elements[element].Count ? Elements[element][component] : "";

    public override string ToString() => Tag + string.Concat(Elements.Select(e => "+" + string.Join(':', e)));
}

/// <summary>
/// A UN/EDIFACT reader for the tests, written from ISO 9735 and independent of the gateway's writer: reads the separators from
/// the UNA service string advice, splits segments, elements and components, and undoes the release character.
/// </summary>
public static class EdifactReader
{
    public static (string Una, IReadOnlyList<ReadSegment> Segments) Read(string interchange)
    {
        Assert.StartsWith("UNA", interchange, StringComparison.Ordinal);
        var una = interchange[..9];
        // UNA positions: component separator, element separator, decimal mark, release character, reserved, segment terminator.
        char component = una[3], element = una[4], release = una[6], terminator = una[8];
        var segments = new List<ReadSegment>();
        var elements = new List<IReadOnlyList<string>>();
        var components = new List<string>();
        var text = new StringBuilder();
        string? tag = null;
        for (var i = 9; i < interchange.Length; i++)
        {
            var c = interchange[i];
            if (c == release)
            {
                text.Append(interchange[++i]);
            }
            else if (c == component || c == element || c == terminator)
            {
                components.Add(text.ToString());
                text.Clear();
                if (c != component)
                {
                    if (tag is null)
                    {
                        tag = Assert.Single(components);
                    }
                    else
                    {
                        elements.Add([.. components]);
                    }
                    components.Clear();
                }
                if (c == terminator)
                {
                    segments.Add(new ReadSegment(tag!, [.. elements]));
                    elements.Clear();
                    tag = null;
                }
            }
            else
            {
                text.Append(c);
            }
        }
        Assert.True(text.Length == 0 && tag is null, "the interchange ends with a segment terminator");
        return (una, segments);
    }
}
