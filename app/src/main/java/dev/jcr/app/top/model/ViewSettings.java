package dev.jcr.app.top.model;

/**
 * How the process list is arranged: tree or flat, the sort column and direction, the filter text, and
 * whether kernel threads (K) and the threads of each process (H) are shown — both hidden at start, as in
 * htop: kernel threads fill a screen and none can be checkpointed. In tree mode the sort orders siblings;
 * the filter keeps matching processes and (dimmed) their ancestors, so a match is still seen where it lives.
 */
public record ViewSettings(boolean tree, Column sort, boolean descending, String filter, boolean kernelThreads,
                           boolean threads) {

    public ViewSettings(boolean tree, Column sort, boolean descending, String filter) {
        this(tree, sort, descending, filter, false, false);
    }

    public static ViewSettings initial() {
        return new ViewSettings(true, Column.PID, false, "");
    }

    public ViewSettings withTree(boolean t) {
        return new ViewSettings(t, sort, descending, filter, kernelThreads, threads);
    }

    public ViewSettings withSort(Column c) {
        return new ViewSettings(tree, c, descending, filter, kernelThreads, threads);
    }

    public ViewSettings inverted() {
        return new ViewSettings(tree, sort, !descending, filter, kernelThreads, threads);
    }

    public ViewSettings withFilter(String f) {
        return new ViewSettings(tree, sort, descending, f, kernelThreads, threads);
    }

    public ViewSettings withKernelThreads(boolean shown) {
        return new ViewSettings(tree, sort, descending, filter, shown, threads);
    }

    public ViewSettings withThreads(boolean shown) {
        return new ViewSettings(tree, sort, descending, filter, kernelThreads, shown);
    }

    /** Whether row P is shown at all (before the filter). */
    public boolean shows(ProcessRow p) {
        return switch (p.kind()) {
            case PROCESS -> true;
            case KERNEL_THREAD -> kernelThreads;
            case THREAD -> threads;
        };
    }
}
