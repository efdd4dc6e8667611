namespace LianApi.QrCodes;

/// <summary>
/// What a scan opened the mini-program with: a mini-program code's scene is the community's code itself; a plain link QR
/// code's q is the whole link, under the community rule's prefix (the community's code) or the binding rule's (a staff
/// binding code). Pages hand these over decoded or still URL-encoded, so both are read.
/// </summary>
public static class ScanLinks
{
    public static (string Kind, string Code)? Read(string? scene, string? q, QrCodeOptions options)
    {
        if (scene is not null)
        {
            var code = Decoded(scene).Trim();
            return code.Length > 0 ? (ScanKinds.Community, code) : null;
        }
        var link = Decoded(q ?? "").Trim();
        return Under(link, options.LinkPrefix) is { } community ? (ScanKinds.Community, community)
            : Under(link, options.BindingLinkPrefix) is { } binding ? (ScanKinds.StaffBinding, binding)
            : null;
    }

    /// <summary>The one path segment after <paramref name="prefix"/> (a query or fragment a scanner kept is ignored).</summary>
    private static string? Under(string link, string prefix)
    {
        if (prefix.Length == 0 || !link.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var rest = link[prefix.Length..].Split('?', '#')[0].TrimEnd('/');
        return rest.Length > 0 && !rest.Contains('/') ? rest : null;
    }

    private static string Decoded(string value)
    {
        // Twice at most: a page that forgot decodeURIComponent sends q encoded once more by wx.request.
        for (var i = 0; i < 2 && value.Contains('%'); i++)
        {
            value = Uri.UnescapeDataString(value);
        }
        return value;
    }
}
