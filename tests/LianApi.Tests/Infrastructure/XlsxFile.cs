using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace LianApi.Tests.Infrastructure;

/// <summary>An xlsx the app produced, read back with the Open XML SDK: cell texts and values by position, and what a cell's style says.</summary>
public sealed class XlsxFile : IDisposable
{
    private readonly SpreadsheetDocument document;
    private readonly List<List<Cell>> rows;
    private readonly string[] sharedStrings;

    public XlsxFile(byte[] bytes, int sheet = 0)
    {
        document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var workbook = document.WorkbookPart!;
        var sheets = workbook.Workbook.Sheets!.Elements<Sheet>().ToList();
        SheetNames = sheets.Select(s => s.Name!.Value!).ToList();
        Part = (WorksheetPart)workbook.GetPartById(sheets[sheet].Id!.Value!);
        rows = Part.Worksheet.Descendants<Row>().Select(r => r.Elements<Cell>().ToList()).ToList();
        sharedStrings = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(i => i.InnerText).ToArray() ?? [];
        Styles = workbook.WorkbookStylesPart?.Stylesheet;
        Workbook = workbook.Workbook;
    }

    public IReadOnlyList<string> SheetNames { get; }

    public WorksheetPart Part { get; }

    public Worksheet Sheet => Part.Worksheet;

    public Workbook Workbook { get; }

    public Stylesheet? Styles { get; }

    public int RowCount => rows.Count;

    /// <summary>Row and column from 1, as Excel numbers them.</summary>
    public Cell CellAt(int row, int column) => rows[row - 1][column - 1];

    public int CellsInRow(int row) => rows[row - 1].Count;

    public string Text(int row, int column)
    {
        var c = CellAt(row, column);
        return c.DataType?.Value == CellValues.InlineString ? c.InlineString?.InnerText ?? ""
            : c.DataType?.Value == CellValues.SharedString ? sharedStrings[int.Parse(c.CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture)]
            : c.CellValue?.Text ?? "";
    }

    public double Number(int row, int column) => double.Parse(CellAt(row, column).CellValue!.Text, System.Globalization.CultureInfo.InvariantCulture);

    public CellFormat Format(int row, int column) =>
        (CellFormat)Styles!.CellFormats!.ElementAt((int)(CellAt(row, column).StyleIndex?.Value ?? 0));

    public bool IsBold(int row, int column) =>
        ((Font)Styles!.Fonts!.ElementAt((int)(Format(row, column).FontId?.Value ?? 0))).Bold is { } bold && (bold.Val?.Value ?? true);

    /// <summary>Excel's built-in format id of the cell's number format (10 = 0.00%), or its custom format's code.</summary>
    public string NumberFormat(int row, int column)
    {
        var id = Format(row, column).NumberFormatId?.Value ?? 0;
        var custom = Styles!.NumberingFormats?.Elements<NumberingFormat>().FirstOrDefault(n => n.NumberFormatId?.Value == id);
        return custom?.FormatCode?.Value ?? id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public double ColumnWidth(int column) =>
        Sheet.Descendants<Column>().Where(c => c.Min!.Value <= column && column <= c.Max!.Value).Select(c => c.Width!.Value).Single();

    public void Dispose() => document.Dispose();
}
