using System.Collections.Concurrent;

namespace JisuDai.Functions.StaffConsole;

/// <summary>
/// The staff console's built files (<c>console/dist</c>, copied beside the app's assemblies as <c>console/</c> by the
/// build), read once each and kept: they change only with a deployment. Only files under that folder are ever served.
/// </summary>
public sealed class ConsoleFiles(string root)
{
    readonly string root = Path.GetFullPath(root);
    // Only files found are kept, so the cache is bounded by the build; a miss (any path anyone asks for) is checked again.
    readonly ConcurrentDictionary<string, ConsoleFile> cache = new(StringComparer.Ordinal);

    /// <summary>Where the app's build puts the console.</summary>
    public static ConsoleFiles Beside(string baseDirectory) => new(Path.Combine(baseDirectory, "console"));

    /// <summary>Whether the console was built into this app at all.</summary>
    public bool Built => File.Exists(Path.Combine(root, "index.html"));

    /// <summary>The file at <paramref name="path"/> (relative, '/'-separated; empty is the page itself), or null.</summary>
    public ConsoleFile? Find(string? path)
    {
        string relative = string.IsNullOrEmpty(path) ? "index.html" : path;
        if (cache.TryGetValue(relative, out ConsoleFile? kept))
        {
            return kept;
        }

        ConsoleFile? file = Load(relative);
        return file is null ? null : cache.GetOrAdd(relative, file);
    }

    ConsoleFile? Load(string relative)
    {
        if (relative.Contains('\\') || relative.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            return null;
        }

        string full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(full))
        {
            return null;
        }

        // Vite names every asset after its content's hash, so an asset never changes under its name; the page does.
        bool hashed = relative.StartsWith("assets/", StringComparison.Ordinal);
        return new ConsoleFile(File.ReadAllBytes(full), ContentTypeOf(full), hashed ? "public, max-age=31536000, immutable" : "no-cache");
    }

    static string ContentTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        ".woff2" => "font/woff2",
        ".woff" => "font/woff",
        ".ttf" => "font/ttf",
        ".json" => "application/json",
        _ => "application/octet-stream",
    };
}

/// <summary>One built file of the console: its bytes, type and how long a browser may keep it.</summary>
public sealed record ConsoleFile(byte[] Content, string ContentType, string CacheControl);
