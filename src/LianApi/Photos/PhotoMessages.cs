namespace LianApi.Photos;

/// <summary>
/// What residents and staff read when a photo is refused: Chinese first (the default), English for Accept-Language: en.
/// Kept as pairs in one place so they move mechanically into the resource files.
/// </summary>
public static class PhotoMessages
{
    public sealed record Text(string Chinese, string English)
    {
        public string For(HttpContext http) =>
            http.Request.Headers.AcceptLanguage.ToString().StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : Chinese;
    }

    public static readonly Text NoFile = new(
        "请在表单字段 file 中上传一张照片（wx.uploadFile 的 name 设为 'file'）。",
        "Send one photo in the multipart field 'file' (wx.uploadFile with name: 'file').");

    public static readonly Text UnsupportedType = new(
        "只支持 JPEG、PNG 或 WebP 格式的照片。请在相册中选择照片，或拍照后重新上传。",
        "Only JPEG, PNG or WebP photos are accepted. Choose a photo from the album or take one, then upload it again.");

    public static readonly Text Unreadable = new(
        "照片文件已损坏或不完整，无法读取。请重新选择照片上传。",
        "The photo is damaged or incomplete and cannot be read. Choose it again and upload it.");

    public static readonly Text TooLarge = new(
        "照片不能超过 10 MB。请压缩后（wx.chooseMedia 的 sizeType 选 compressed）重新上传。",
        "A photo may be at most 10 MB. Upload a compressed one (wx.chooseMedia with sizeType 'compressed').");

    public static readonly Text TooManyPixels = new(
        "照片尺寸过大（超过 4000 万像素）。请压缩后重新上传。",
        "The photo has too many pixels (over 40 megapixels). Upload a compressed one.");

    public static readonly Text UploadLimit = new(
        "您在一小时内上传的照片过多，请稍后再试。",
        "You uploaded many photos in the last hour. Try again later.");

    public static readonly Text Busy = new(
        "正在处理的照片较多，请稍后重试。",
        "Many photos are being processed right now. Try again in a moment.");

    public static readonly Text NotFound = new(
        "没有找到这张照片。",
        "There is no such photo.");

    public static readonly Text LinkInvalid = new(
        "照片链接无效。请重新打开页面获取新的链接。",
        "This photo link is not valid. Reopen the page to get a new link.");

    public static readonly Text LinkExpired = new(
        "照片链接已过期。请重新打开页面获取新的链接。",
        "This photo link has expired. Reopen the page to get a new link.");

    public static readonly Text TooManyPhotos = new(
        "每次最多附 9 张照片。",
        "At most 9 photos can be attached at once.");

    public static readonly Text DuplicatePhoto = new(
        "同一张照片只能附一次：{0}。",
        "The same photo can be attached only once: {0}.");

    public static readonly Text NotAttachable = new(
        "照片 {0} 不能附加：它不是您在 24 小时内上传且尚未使用的照片。请重新上传。",
        "Photo {0} cannot be attached: it is not a photo you uploaded in the last 24 hours that is still unused. Upload it again.");

    public static readonly Text ResolutionPhotoRequired = new(
        "此类诉求办结时须附处置后照片（办结照片）。",
        "Cases of this category are resolved only with a photo of the result (photoIds).");

    public static readonly Text PhotosNotForAction = new(
        "只有办结（resolve）和回复（reply）可以附照片。",
        "Only resolve and reply carry photos.");
}
