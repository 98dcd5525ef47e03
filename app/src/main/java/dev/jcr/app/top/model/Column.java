package dev.jcr.app.top.model;

import java.util.Comparator;

/** The columns of the process table, their widths and how each sorts. */
public enum Column {
    PID("PID", 7, true, Comparator.comparingLong(ProcessRow::pid)),
    USER("USER", 9, false, Comparator.comparing(ProcessRow::user)),
    STATE("S", 1, false, Comparator.comparing(ProcessRow::state)),
    THREADS("THR", 4, true, Comparator.comparingInt(ProcessRow::threads)),
    RSS("RSS", 7, true, Comparator.comparingLong(ProcessRow::rssKiB)),
    VERDICT("C/R", 15, false, Comparator.comparing(ProcessRow::verdict)),
    COMMAND("COMMAND", 0, false, Comparator.comparing(ProcessRow::command));

    public final String title;
    /** Width in cells; 0 means "the rest of the line". */
    public final int width;
    public final boolean rightAligned;
    public final Comparator<ProcessRow> order;

    Column(String title, int width, boolean rightAligned, Comparator<ProcessRow> order) {
        this.title = title;
        this.width = width;
        this.rightAligned = rightAligned;
        this.order = order;
    }

    public Column next() {
        return values()[(ordinal() + 1) % values().length];
    }

    public Column previous() {
        return values()[(ordinal() + values().length - 1) % values().length];
    }
}
