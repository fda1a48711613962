using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace CrossMargin.Ledger.EventStore.Snapshots;

/// <summary>
/// Writes the primitives of a snapshot's canonical form (docs/data-formats.md): integers little-endian, a decimal as
/// its four 32-bit words (<see cref="decimal.GetBits(decimal)"/>: value, sign and scale), a name as its UTF-8 length in
/// 7-bit groups then its bytes, an optional decimal as a presence byte then the decimal.
/// </summary>
internal sealed class SnapshotBytes(int capacity)
{
    private readonly ArrayBufferWriter<byte> buffer = new(capacity);

    public void Raw(ReadOnlySpan<byte> bytes) => buffer.Write(bytes);

    public void Byte(byte value)
    {
        buffer.GetSpan(1)[0] = value;
        buffer.Advance(1);
    }

    public void Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
        buffer.Advance(8);
    }

    public void Decimal(decimal value)
    {
        Span<int> words = stackalloc int[4];
        decimal.GetBits(value, words);
        var span = buffer.GetSpan(16);
        for (var i = 0; i < 4; i++)
            BinaryPrimitives.WriteInt32LittleEndian(span[(4 * i)..], words[i]);
        buffer.Advance(16);
    }

    public void OptionalDecimal(decimal? value)
    {
        Byte(value is null ? (byte)0 : (byte)1);
        if (value is { } v)
            Decimal(v);
    }

    public void Text(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        for (var rest = (uint)length; ; rest >>= 7)
        {
            if (rest < 0x80)
            {
                Byte((byte)rest);
                break;
            }
            Byte((byte)(rest | 0x80));
        }
        Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
        buffer.Advance(length);
    }

    public byte[] ToArray() => buffer.WrittenSpan.ToArray();
}

/// <summary>Reads what <see cref="SnapshotBytes"/> writes, from the start; every read checks the bytes are there and
/// every count that they could be, so a damaged snapshot is a <see cref="FormatException"/> naming the byte, never a
/// huge allocation.</summary>
internal ref struct SnapshotSpan(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> bytes = bytes;

    /// <summary>Where the next read starts.</summary>
    public int Offset { get; private set; }

    public readonly bool AtEnd => Offset == bytes.Length;

    public ReadOnlySpan<byte> Raw(int length)
    {
        if (length < 0 || length > bytes.Length - Offset)
            throw new FormatException(
                $"the snapshot ends at byte {bytes.Length}, inside a value that starts at {Offset}"
            );
        var read = bytes.Slice(Offset, length);
        Offset += length;
        return read;
    }

    public byte Byte() => Raw(1)[0];

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Raw(4));

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Raw(8));

    /// <summary>A count of items each at least <paramref name="least"/> bytes long.</summary>
    public int Count(int least)
    {
        var at = Offset;
        var count = Int32();
        if (count < 0 || (long)count * least > bytes.Length - Offset)
            throw new FormatException($"the count {count} at byte {at} is more than the snapshot holds");
        return count;
    }

    public decimal Decimal()
    {
        var raw = Raw(16);
        Span<int> words = stackalloc int[4];
        for (var i = 0; i < 4; i++)
            words[i] = BinaryPrimitives.ReadInt32LittleEndian(raw[(4 * i)..]);
        try
        {
            return new decimal(words);
        }
        catch (ArgumentException)
        {
            throw new FormatException($"the decimal at byte {Offset - 16} has invalid flags");
        }
    }

    public decimal? OptionalDecimal()
    {
        var at = Offset;
        return Byte() switch
        {
            0 => null,
            1 => Decimal(),
            var other => throw new FormatException($"the byte {other} at {at} is neither absent (0) nor present (1)"),
        };
    }

    /// <summary>A name's UTF-8 bytes.</summary>
    public ReadOnlySpan<byte> TextBytes()
    {
        var at = Offset;
        var length = 0u;
        for (var shift = 0; ; shift += 7)
        {
            if (shift > 28)
                throw new FormatException($"the length at byte {at} runs past five bytes");
            var next = Byte();
            length |= (uint)(next & 0x7F) << shift;
            if (next < 0x80)
                break;
        }
        return length > int.MaxValue
            ? throw new FormatException($"the length at byte {at} is more than the snapshot holds")
            : Raw((int)length);
    }

    public string Text() => Encoding.UTF8.GetString(TextBytes());
}
