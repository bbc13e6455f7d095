using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchboard.Ledger;

/// <summary>
/// The team ledger's records on this replica's disk until PostgreSQL has them, so a replica killed outright (SIGKILL,
/// a crash, the OOM killer) loses none it had queued: the next start sends them again with the ids they had, and the
/// team ledger, which skips ids it holds, counts each once. Each record is one JSON line appended and handed to the
/// operating system before the request's reply ends, so it survives the process dying; it does not survive the
/// machine losing power (no fsync per request: that would cost every request a disk flush).
/// </summary>
/// <remarks>
/// Lines go to segment files in a folder of their own; a segment is closed after <see cref="SegmentSize"/> records
/// and deleted once the writer has stored its last record, and the open segment is deleted as soon as everything
/// appended has been stored, so an idle replica's spool is empty. Appends and deletions take <see cref="Gate"/>,
/// which the writer also holds while it queues the record, so the queue's order is the sequence's order.
/// One folder serves one replica: replicas must not share a home folder.
/// </remarks>
public sealed class LedgerSpool : IDisposable
{
    public const int SegmentSize = 1_000;
    private const string Extension = ".jsonl";

    private readonly string _folder;
    private readonly string _runPrefix;
    private readonly Queue<(string File, long Last)> _closed = new();
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly Utf8JsonWriter _json;
    private FileStream? _open;
    private string? _openFile;
    private long _openLast = -1;
    private int _openCount;
    private long _next;

    private LedgerSpool(string folder, IReadOnlyList<string> leftOver, IReadOnlyList<SpooledRecord> replay)
    {
        _folder = folder;
        LeftOver = leftOver;
        Replay = replay;
        _json = new Utf8JsonWriter(_line);
        _runPrefix = DateTime.UtcNow.Ticks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Taken for an append and the queueing that goes with it, and for deleting what is stored.</summary>
    public object Gate { get; } = new();

    /// <summary>What an earlier run left unstored, oldest segment first, each id once.</summary>
    public IReadOnlyList<SpooledRecord> Replay { get; }

    /// <summary>The earlier run's segment files, deleted by <see cref="ReplayStored"/>.</summary>
    public IReadOnlyList<string> LeftOver { get; }

    /// <summary>Lines an earlier run left that could not be read (the one being written as it died, at most).</summary>
    public int Unreadable { get; private set; }

    /// <summary>Opens the spool in <paramref name="folder"/>, reading what an earlier run left there.</summary>
    public static LedgerSpool Open(string folder)
    {
        Directory.CreateDirectory(folder);
        var files = Directory.GetFiles(folder, "*" + Extension).Order(StringComparer.Ordinal).ToList();
        var seen = new HashSet<Guid>();
        var replay = new List<SpooledRecord>();
        var unreadable = 0;
        foreach (var file in files)
        foreach (var line in File.ReadLines(file))
        {
            if (line.Length == 0) continue;
            SpooledRecord? record = null;
            try
            {
                record = JsonSerializer.Deserialize(line, LedgerSpoolJson.Default.SpooledRecord);
            }
            catch (JsonException)
            {
            }
            if (record?.Record is null) unreadable++;
            else if (seen.Add(record.Id)) replay.Add(record);
        }
        return new LedgerSpool(folder, files, replay) { Unreadable = unreadable };
    }

    /// <summary>Appends one record (the caller holds <see cref="Gate"/>); returns its sequence number in this run.</summary>
    public long Append(Guid id, RequestRecord record)
    {
        if (_open is null)
        {
            _openFile = Path.Combine(_folder, $"{_runPrefix}-{_next.ToString("D12", CultureInfo.InvariantCulture)}{Extension}");
            _open = new FileStream(_openFile, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
            _openCount = 0;
        }
        var sequence = _next++;
        _line.ResetWrittenCount();
        _json.Reset();
        JsonSerializer.Serialize(_json, new SpooledRecord(id, record), LedgerSpoolJson.Default.SpooledRecord);
        _line.Write("\n"u8);
        // One write call per record: a line is never left half in a buffer of ours when the process dies.
        _open.Write(_line.WrittenSpan);
        _openLast = sequence;
        if (++_openCount >= SegmentSize) Close();
        return sequence;
    }

    /// <summary>The writer stored every record up to <paramref name="sequence"/>: segments wholly stored are deleted.</summary>
    public void Stored(long sequence)
    {
        lock (Gate)
        {
            while (_closed.TryPeek(out var segment) && segment.Last <= sequence)
            {
                _closed.Dequeue();
                File.Delete(segment.File);
            }
            if (_open is not null && _openLast <= sequence)
            {
                var file = _openFile!;
                _open.Dispose();
                _open = null;
                File.Delete(file);
            }
        }
    }

    /// <summary>What the earlier run left is stored: its files go.</summary>
    public void ReplayStored()
    {
        foreach (var file in LeftOver) File.Delete(file);
    }

    private void Close()
    {
        _open!.Dispose();
        _open = null;
        _closed.Enqueue((_openFile!, _openLast));
    }

    public void Dispose()
    {
        lock (Gate)
        {
            _open?.Dispose();
            _open = null;
            _json.Dispose();
        }
    }
}

/// <summary>One line of the spool: the record and the id it is stored under.</summary>
public sealed record SpooledRecord(Guid Id, RequestRecord Record);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SpooledRecord))]
internal sealed partial class LedgerSpoolJson : JsonSerializerContext;
