using Shouldly;
using Switchboard.Hosting;

namespace Switchboard.Tests.Hosting;

public sealed class PooledBodyReaderTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    [InlineData(1_000_003)]
    public async Task ReadAsync_AnyLength_ReturnsExactlyTheBytes_InAnArrayOfTheirSize(int length)
    {
        var bytes = Enumerable.Range(0, length).Select(i => (byte)(i * 31)).ToArray();

        var body = await PooledBodyReader.ReadAsync(new Trickle(bytes, 7_001), declaredLength: null, limit: 2_000_000, Cancel);

        body.ShouldNotBeNull().Length.ShouldBe(length);
        body.ShouldBe(bytes);
    }

    [Fact]
    public async Task ReadAsync_PastTheLimit_ReturnsNull_AndReadsTheRestSoTheSenderCanBeAnswered()
    {
        var stream = new Trickle(new byte[300_000], 10_000);

        (await PooledBodyReader.ReadAsync(stream, declaredLength: null, limit: 100_000, Cancel)).ShouldBeNull();

        stream.Position.ShouldBe(300_000);
    }

    [Fact]
    public async Task ReadAsync_DeclaredOverTheLimit_ReturnsNull_AndDrains()
    {
        var stream = new Trickle(new byte[300_000], 65_536);

        (await PooledBodyReader.ReadAsync(stream, declaredLength: 300_000, limit: 100_000, Cancel)).ShouldBeNull();

        stream.Position.ShouldBe(300_000);
    }

    /// <summary>A stream that hands out at most <paramref name="most"/> bytes a read, as a socket does.</summary>
    private sealed class Trickle(byte[] bytes, int most) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, most)], cancellationToken);
    }
}
