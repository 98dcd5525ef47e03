package dev.jcr.app.top.model;

/**
 * A row as drawn: the process, its depth in the tree (0 in flat mode), for each ancestor level whether that
 * ancestor was the last of its siblings (to draw the tree lines), and whether it matched the filter or is
 * only shown as the ancestor of a match.
 */
public record VisibleRow(ProcessRow process, int depth, boolean[] lastAtLevel, boolean matched) {
}
