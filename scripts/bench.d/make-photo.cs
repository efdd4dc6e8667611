#:package SkiaSharp
#:package SkiaSharp.NativeAssets.Linux.NoDependencies
// Writes a camera-sized JPEG with photo-like detail (gradients plus noise), for scripts/bench-photos:
//   dotnet run scripts/bench.d/make-photo.cs -- OUT.jpg [WIDTH HEIGHT]
using SkiaSharp;

var (path, width, height) = (args[0], args.Length > 2 ? int.Parse(args[1]) : 4000, args.Length > 2 ? int.Parse(args[2]) : 3000);
using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
var random = new Random(9);
var pixels = new byte[width * height * 4];
for (var y = 0; y < height; y++)
{
    for (var x = 0; x < width; x++)
    {
        var i = (y * width + x) * 4;
        var n = random.Next(-24, 25);
        pixels[i] = (byte)Math.Clamp(255 * x / width + n, 0, 255);
        pixels[i + 1] = (byte)Math.Clamp(255 * y / height + n, 0, 255);
        pixels[i + 2] = (byte)Math.Clamp(128 + 100 * Math.Sin(x / 97.0) * Math.Cos(y / 53.0) + n, 0, 255);
        pixels[i + 3] = 255;
    }
}
System.Runtime.InteropServices.Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
using var image = SKImage.FromBitmap(bitmap);
using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 90);
File.WriteAllBytes(path, jpeg.ToArray());
