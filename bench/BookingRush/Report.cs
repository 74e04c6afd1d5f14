using System.Text;

namespace ReturnOps.BookingRush;

/// <summary>Markdown for docs/performance.md, echoed to standard output as it is written.</summary>
internal sealed class Report
{
    private readonly StringBuilder _text = new();

    public void Heading(string title) => Line("### " + title + "\n");

    public void Line(string line = "")
    {
        _text.AppendLine(line);
        Console.WriteLine(line);
    }

    public override string ToString() => _text.ToString();
}
