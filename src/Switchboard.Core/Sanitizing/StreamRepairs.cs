namespace Switchboard.Sanitizing;

/// <summary>What <see cref="StreamShape"/> had to mend in one stream, counted for its log line.</summary>
internal sealed class StreamRepairs
{
    private readonly List<string> _added = [];

    public int SynthesizedStarts { get; set; }
    public int ReopenedIndexes { get; set; }
    public int DroppedStops { get; set; }
    public int DroppedDeltas { get; set; }
    public int MisfitDeltas { get; set; }
    public int DroppedEvents { get; set; }
    public int ClosedBlocks { get; set; }
    public int Signed { get; set; }

    public void Added(string what) => _added.Add(what);

    public bool Any => ToString().Length > 0;

    /// <summary>"synthesized 1 block start, dropped 2 stray block stops, added message_delta, message_stop"; empty if nothing.</summary>
    public override string ToString()
    {
        var parts = new List<string>();
        if (SynthesizedStarts > 0) parts.Add($"synthesized {History.Count(SynthesizedStarts, "block start")}");
        if (ReopenedIndexes > 0) parts.Add($"reopened {History.Count(ReopenedIndexes, "re-used index")} as new blocks");
        if (DroppedStops > 0) parts.Add($"dropped {History.Count(DroppedStops, "stray block stop")}");
        if (DroppedDeltas > 0) parts.Add($"dropped {History.Count(DroppedDeltas, "delta")} for no open block");
        if (MisfitDeltas > 0) parts.Add($"dropped {History.Count(MisfitDeltas, "delta")} that did not fit its block");
        if (DroppedEvents > 0) parts.Add($"dropped {History.Count(DroppedEvents, "event")} after the end or repeating the start");
        if (ClosedBlocks > 0) parts.Add($"closed {History.Count(ClosedBlocks, "block")} left open");
        if (Signed > 0) parts.Add($"signed {History.Count(Signed, "thinking block")}");
        if (_added.Count > 0) parts.Add("added " + string.Join(", ", _added));
        return string.Join(", ", parts);
    }
}
