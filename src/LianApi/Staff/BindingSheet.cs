using LianApi.QrCodes;
using LianApi.Shared;
using SkiaSharp;

namespace LianApi.Staff;

/// <summary>One person on the binding sheet: who, where, and the code that binds their WeChat account.</summary>
public sealed record BindingSheetEntry(string UnitName, string Name, string Role, string? GridName, StaffBindingCode Code);

/// <summary>
/// The printable binding sheet of a bulk import: A4, each unit on its own page (a unit of more than
/// <see cref="PerPage"/> people goes on over more pages), cut into cards that name the person and carry a QR code of
/// the binding page's link with their code, and the code in text for typing. The PDF embeds its fonts, so Chinese
/// prints on any machine, and the QR codes as images of whole pixels per module, so nothing blurs them.
/// </summary>
public static class BindingSheet
{
    public const int Columns = 3;
    public const int Rows = 4;
    public const int PerPage = Columns * Rows;

    private const float PageWidth = 210 * 72f / 25.4f;
    private const float PageHeight = 297 * 72f / 25.4f;
    private const float Margin = 36;
    private const float Header = 78;
    // About 4 cm printed, at over 250 dpi: a phone scans it from arm's length.
    private const float CodeSide = 112;
    private const int CodePixels = 420;

    private static readonly SKColor Ink = new(0x21, 0x21, 0x21);
    private static readonly SKColor Grey = new(0x75, 0x75, 0x75);
    private static readonly SKColor CutLine = new(0xBD, 0xBD, 0xBD);

    /// <summary>Writes the sheet; <paramref name="link"/> is the binding page's link for a code. Returns the number of pages.</summary>
    public static int Write(Stream output, IReadOnlyList<BindingSheetEntry> entries, Func<string, string> link)
    {
        using var stream = new SKManagedWStream(output);
        // EncodingQuality above 100 keeps images lossless (Flate): unset, Skia stores them as JPEG, whose blur a scanner can trip on.
        using var document = SKDocument.CreatePdf(stream, new SKDocumentPdfMetadata
        {
            Title = "@莲 工作人员绑定码", Creator = "LianApi", RasterDpi = 300, EncodingQuality = SKDocumentPdfMetadata.DefaultEncodingQuality,
        });
        var pages = 0;
        foreach (var unit in entries.GroupBy(e => e.UnitName))
        {
            var people = unit.ToList();
            for (var first = 0; first < people.Count; first += PerPage)
            {
                var canvas = document.BeginPage(PageWidth, PageHeight);
                DrawPage(canvas, unit.Key, people.Skip(first).Take(PerPage).ToList(), link,
                    people.Count > PerPage ? $"（第 {first / PerPage + 1} / {(people.Count + PerPage - 1) / PerPage} 页）" : "");
                document.EndPage();
                pages++;
            }
        }
        document.Close();
        return pages;
    }

    private static void DrawPage(SKCanvas canvas, string unit, IReadOnlyList<BindingSheetEntry> people, Func<string, string> link, string pageOf)
    {
        canvas.Clear(SKColors.White);
        using var ink = new SKPaint { Color = Ink, IsAntialias = true };
        using var grey = new SKPaint { Color = Grey, IsAntialias = true };
        using var cut = new SKPaint { Color = CutLine, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.5f, PathEffect = SKPathEffect.CreateDash([4, 3], 0) };
        var center = PageWidth / 2;
        var width = PageWidth - 2 * Margin;
        Fonts.DrawCentered(canvas, $"{unit} · 工作人员绑定码{pageOf}", center, Margin + 20, width, 18, ink);
        Fonts.DrawCentered(canvas, "登录小程序后用微信扫码打开绑定页，或在绑定页输入下方绑定码。每个码只能用一次，请沿虚线剪开，本人领取。",
            center, Margin + 42, width, 9, grey);
        Fonts.DrawCentered(canvas, $"绑定码于 {ChinaTime.ToChina(people[0].Code.ExpiresAt):yyyy年M月d日 HH:mm}（北京时间）失效，过期请联系管理员重新生成（staff renew）。",
            center, Margin + 56, width, 9, grey);
        var cellWidth = width / Columns;
        var cellHeight = (PageHeight - 2 * Margin - Header) / Rows;
        for (var i = 0; i < people.Count; i++)
        {
            var person = people[i];
            var cell = SKRect.Create(Margin + i % Columns * cellWidth, Margin + Header + i / Columns * cellHeight, cellWidth, cellHeight);
            canvas.DrawRect(cell, cut);
            var x = cell.MidX;
            Fonts.DrawCentered(canvas, person.Name, x, cell.Top + 22, cellWidth - 16, 14, ink);
            Fonts.DrawCentered(canvas, person.GridName is { } grid ? $"{RoleName(person.Role)} · {grid}" : RoleName(person.Role), x, cell.Top + 36, cellWidth - 16, 8, grey);
            using var code = QrImages.Image(QrMatrix.Encode(link(person.Code.Code)), CodePixels, margin: 4);
            canvas.DrawImage(code, SKRect.Create(x - CodeSide / 2, cell.Top + 42, CodeSide, CodeSide), new SKSamplingOptions(SKFilterMode.Nearest));
            Fonts.DrawCentered(canvas, person.Code.Code, x, cell.Top + 42 + CodeSide + 14, cellWidth - 16, 13, ink);
        }
    }

    private static string RoleName(string role) => role switch
    {
        StaffRoles.Community => "社区工作人员",
        StaffRoles.Street => "街道工作人员",
        StaffRoles.Department => "部门工作人员",
        StaffRoles.Dispatcher => "区调度中心",
        StaffRoles.Admin => "管理员",
        StaffRoles.Volunteer => "志愿者",
        _ => throw Vocabulary.Unknown("staff roles", role),
    };
}
