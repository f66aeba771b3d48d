using JisuDai.App.Files;
using SkiaSharp;
using UglyToad.PdfPig;

namespace JisuDai.Adapters.Files;

/// <summary>
/// Tells a file's type by its first bytes, never by its name or declared type, and proves it: a PNG or JPEG must decode
/// (SkiaSharp, within 40 megapixels and 12,000 pixels a side, read from the header before any pixel is decoded), and is
/// re-encoded from its pixels, which leaves every metadata block (EXIF, GPS, comments) behind, with a PNG thumbnail at
/// most 256 pixels on its longer side; a PDF must open (PdfPig) with 1 to 50 pages, and is kept as sent.
/// </summary>
public sealed class SkiaFileInspector : IFileInspector
{
    const int MaxSide = 12_000, MaxPixels = 40_000_000, ThumbnailSide = 256, MaxPages = 50;
    static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], Jpeg = [0xFF, 0xD8, 0xFF], Pdf = "%PDF-"u8.ToArray();

    public FileInspection Inspect(byte[] bytes) =>
        bytes.AsSpan().StartsWith(Png) ? Image(bytes, "image/png", SKEncodedImageFormat.Png)
        : bytes.AsSpan().StartsWith(Jpeg) ? Image(bytes, "image/jpeg", SKEncodedImageFormat.Jpeg)
        : bytes.AsSpan().StartsWith(Pdf) ? Document(bytes)
        : FileInspection.Refused("not a PNG, JPEG or PDF by its first bytes");

    static FileInspection Image(byte[] bytes, string contentType, SKEncodedImageFormat format)
    {
        using SKData data = SKData.CreateCopy(bytes);
        using SKCodec? codec = SKCodec.Create(data);
        if (codec is null || codec.EncodedFormat != format)
        {
            return FileInspection.Refused($"says it is {contentType} but does not decode as one");
        }

        SKImageInfo info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || info.Width > MaxSide || info.Height > MaxSide || (long)info.Width * info.Height > MaxPixels)
        {
            return FileInspection.Refused($"an image of {info.Width}×{info.Height} pixels is outside the bounds (at most {MaxSide} a side, {MaxPixels / 1_000_000} megapixels)");
        }

        using var bitmap = new SKBitmap(new SKImageInfo(info.Width, info.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        SKCodecResult result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result != SKCodecResult.Success) // a truncated image is refused too: what is served is what was decoded whole
        {
            return FileInspection.Refused($"the image's pixels do not decode ({result})");
        }

        using SKData clean = bitmap.Encode(format, 90);
        float scale = Math.Min(1f, (float)ThumbnailSide / Math.Max(info.Width, info.Height));
        using SKBitmap small = bitmap.Resize(new SKImageInfo(Math.Max(1, (int)(info.Width * scale)), Math.Max(1, (int)(info.Height * scale))), new SKSamplingOptions(SKFilterMode.Linear));
        using SKData thumbnail = small.Encode(SKEncodedImageFormat.Png, 100);
        return new FileInspection(contentType, clean.ToArray(), thumbnail.ToArray(), info.Width, info.Height, null, null);
    }

    static FileInspection Document(byte[] bytes)
    {
        try
        {
            using PdfDocument pdf = PdfDocument.Open(bytes);
            int pages = pdf.NumberOfPages;
            return pages is >= 1 and <= MaxPages
                ? new FileInspection("application/pdf", bytes, null, null, null, pages, null)
                : FileInspection.Refused($"a PDF of {pages} pages (1 to {MaxPages} are taken)");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return FileInspection.Refused($"says it is a PDF but does not open as one ({e.GetType().Name})");
        }
    }
}
