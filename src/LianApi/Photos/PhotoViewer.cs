namespace LianApi.Photos;

/// <summary>How much of a case a caller may see, as the case's feature decides it.</summary>
public enum PhotoViewer
{
    None,
    Viewer,
    DispatchCenter,
}
