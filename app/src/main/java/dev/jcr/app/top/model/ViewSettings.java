package dev.jcr.app.top.model;

/**
 * How the process list is arranged: tree or flat, the sort column and direction, the filter text. In tree
 * mode the sort orders siblings; the filter keeps matching processes and (dimmed) their ancestors, so a
 * match is still seen where it lives.
 */
public record ViewSettings(boolean tree, Column sort, boolean descending, String filter) {

    public static ViewSettings initial() {
        return new ViewSettings(true, Column.PID, false, "");
    }

    public ViewSettings withTree(boolean t) {
        return new ViewSettings(t, sort, descending, filter);
    }

    public ViewSettings withSort(Column c) {
        return new ViewSettings(tree, c, descending, filter);
    }

    public ViewSettings inverted() {
        return new ViewSettings(tree, sort, !descending, filter);
    }

    public ViewSettings withFilter(String f) {
        return new ViewSettings(tree, sort, descending, f);
    }
}
