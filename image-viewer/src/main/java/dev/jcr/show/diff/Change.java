package dev.jcr.show.diff;

/** One value that differs: what it is ({@code ip}, {@code cwd}, {@code NOFILE}), before and after. */
public record Change(String field, String before, String after) {
}
