namespace JisuDai.App.Streams;

/// <summary>Reads what a caller sent without letting them decide how much memory it takes.</summary>
public static class BoundedRead
{
    /// <summary>The stream's bytes, or null when there are more than <paramref name="limit"/> (read no further than one chunk past it).</summary>
    public static async Task<byte[]?> AtMostAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
