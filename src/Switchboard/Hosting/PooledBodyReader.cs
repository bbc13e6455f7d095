using System.Buffers;

namespace Switchboard.Hosting;

/// <summary>
/// Reads a whole body (a client's request, an upstream's JSON reply) into one array of exactly its size. It was read
/// into a MemoryStream, which grows by doubling: a 32 MB body passed through arrays of 16 KB, 32 KB … 32 MB and a
/// 40 MB one ended in a 64 MB array, 128 MB of large-object heap in all for one request, which Server GC kept
/// committed long after. Now the bytes go into 64 KB pieces rented from the shared pool (and given back), and are
/// copied once into the final array. A declared length is not trusted for the allocation: a client that says 32 MB
/// and sends ten bytes costs ten bytes.
/// </summary>
internal static class PooledBodyReader
{
    private const int PieceBytes = 64 * 1024;

    /// <summary>
    /// The body, or null when it is longer than <paramref name="limit"/>; then the rest is read and dropped, so the
    /// sender is still listening when it is told why.
    /// </summary>
    public static async Task<byte[]?> ReadAsync(Stream body, long? declaredLength, long limit, CancellationToken cancellationToken)
    {
        if (declaredLength > limit)
        {
            await DrainAsync(body, cancellationToken).ConfigureAwait(false);
            return null;
        }
        var pieces = new List<byte[]>();
        try
        {
            var length = 0L;
            while (true)
            {
                if (length == (long)pieces.Count * PieceBytes) pieces.Add(ArrayPool<byte>.Shared.Rent(PieceBytes));
                var at = (int)(length - (long)(pieces.Count - 1) * PieceBytes);
                var read = await body.ReadAsync(pieces[^1].AsMemory(at, PieceBytes - at), cancellationToken).ConfigureAwait(false);
                if (read == 0) return Join(pieces, (int)length);
                length += read;
                if (length <= limit) continue;
                Return(pieces);
                await DrainAsync(body, cancellationToken).ConfigureAwait(false);
                return null;
            }
        }
        finally
        {
            Return(pieces);
        }
    }

    private static byte[] Join(List<byte[]> pieces, int length)
    {
        var whole = GC.AllocateUninitializedArray<byte>(length);
        for (var i = 0; i < pieces.Count; i++)
        {
            var start = i * PieceBytes;
            pieces[i].AsSpan(0, Math.Min(PieceBytes, length - start)).CopyTo(whole.AsSpan(start));
        }
        return whole;
    }

    private static async Task DrainAsync(Stream body, CancellationToken cancellationToken)
    {
        var piece = ArrayPool<byte>.Shared.Rent(PieceBytes);
        try
        {
            while (await body.ReadAsync(piece, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(piece);
        }
    }

    private static void Return(List<byte[]> pieces)
    {
        foreach (var piece in pieces) ArrayPool<byte>.Shared.Return(piece);
        pieces.Clear();
    }
}
