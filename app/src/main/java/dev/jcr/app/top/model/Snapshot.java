package dev.jcr.app.top.model;

import java.time.Instant;
import java.util.List;

/** Everything the main screen shows, taken by one background refresh. */
public record Snapshot(Instant takenAt, String host, String kernel, List<ProcessRow> processes, int images) {

    /** Processes, kernel threads included; not the rows of single threads. */
    public long processCount() {
        return processes.stream().filter(ProcessRow::isProcess).count();
    }

    public long checkpointable() {
        return processes.stream().filter(p -> p.isProcess() && p.verdict() == CrVerdict.OK).count();
    }

    public long withOptions() {
        return processes.stream().filter(p -> p.isProcess() && p.verdict() == CrVerdict.NEEDS_OPTION).count();
    }

    public static Snapshot empty() {
        return new Snapshot(Instant.EPOCH, "", "", List.of(), 0);
    }
}
