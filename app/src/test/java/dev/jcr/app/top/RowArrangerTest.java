package dev.jcr.app.top;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jcr.app.top.model.Column;
import dev.jcr.app.top.model.CrVerdict;
import dev.jcr.app.top.model.ProcessRow;
import dev.jcr.app.top.model.RowArranger;
import dev.jcr.app.top.model.ViewSettings;
import dev.jcr.app.top.model.VisibleRow;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowArrangerTest {

    private static ProcessRow p(long pid, long ppid, String cmd, long rss) {
        return new ProcessRow(pid, ppid, "root", 'S', 1, rss, CrVerdict.OK, "", cmd, cmd);
    }

    // 1 ─┬─ 10 ─── 11
    //    └─ 20
    // 2 (a second root, e.g. kthreadd)
    private static final List<ProcessRow> PS = List.of(p(20, 1, "bash", 5), p(11, 10, "sleep", 1), p(1, 0, "init", 9),
            p(10, 1, "sshd", 7), p(2, 0, "kthreadd", 0));

    private static List<Long> pids(List<VisibleRow> rows) {
        return rows.stream().map(r -> r.process().pid()).toList();
    }

    @Test
    void treeOrdersChildrenUnderParentsWithDepthAndLastFlags() {
        List<VisibleRow> rows = RowArranger.arrange(PS, ViewSettings.initial());
        assertEquals(List.of(1L, 10L, 11L, 20L, 2L), pids(rows));
        assertEquals(List.of(0, 1, 2, 1, 0), rows.stream().map(VisibleRow::depth).toList());
        assertArrayEquals(new boolean[] {false}, rows.get(1).lastAtLevel()); // 10 is not 1's last child
        assertArrayEquals(new boolean[] {false, true}, rows.get(2).lastAtLevel()); // 11 under a non-last parent
        assertArrayEquals(new boolean[] {true}, rows.get(3).lastAtLevel()); // 20 is the last child
    }

    @Test
    void sortOrdersSiblingsInTreeModeAndEverythingInFlatMode() {
        ViewSettings byRssDesc = new ViewSettings(true, Column.RSS, true, "");
        assertEquals(List.of(1L, 10L, 11L, 20L, 2L), pids(RowArranger.arrange(PS, byRssDesc)));
        assertEquals(List.of(1L, 10L, 20L, 11L, 2L), pids(RowArranger.arrange(PS, byRssDesc.withTree(false))));
        ViewSettings flatByCommand = new ViewSettings(false, Column.COMMAND, false, "");
        assertEquals(List.of(20L, 1L, 2L, 11L, 10L), pids(RowArranger.arrange(PS, flatByCommand)));
    }

    @Test
    void filterKeepsMatchesAndTheirAncestorsMarkedAsContext() {
        List<VisibleRow> rows = RowArranger.arrange(PS, ViewSettings.initial().withFilter("SLEEP"));
        assertEquals(List.of(1L, 10L, 11L), pids(rows));
        assertEquals(List.of(false, false, true), rows.stream().map(VisibleRow::matched).toList());
        assertEquals(List.of(11L), pids(RowArranger.arrange(PS, ViewSettings.initial().withFilter("sleep").withTree(false))));
    }

    @Test
    void aPidFilterMatchesThatPidOnlyNotPidsContainingIt() {
        assertEquals(List.of(1L), pids(RowArranger.arrange(PS, ViewSettings.initial().withFilter("1").withTree(false))));
    }

    private static ProcessRow kind(long pid, long ppid, String cmd, ProcessRow.Kind k) {
        return new ProcessRow(pid, ppid, "root", 'S', 1, 0, CrVerdict.OK, "", cmd, cmd, k);
    }

    // 1 ── 10 (two threads: 12, 13) ── 11;  2 (kthreadd) ── 3 (kworker)
    private static final List<ProcessRow> KINDS = List.of(p(1, 0, "init", 9), p(10, 1, "java", 7), p(11, 10, "sleep", 1),
            kind(12, 10, "C2 Compiler", ProcessRow.Kind.THREAD), kind(13, 10, "GC Thread", ProcessRow.Kind.THREAD),
            kind(2, 0, "[kthreadd]", ProcessRow.Kind.KERNEL_THREAD), kind(3, 2, "[kworker/0:0]", ProcessRow.Kind.KERNEL_THREAD));

    @Test
    void kernelThreadsAndThreadsAreHiddenUntilAskedFor() {
        assertEquals(List.of(1L, 10L, 11L), pids(RowArranger.arrange(KINDS, ViewSettings.initial())));
        assertEquals(List.of(1L, 10L, 11L, 2L, 3L), pids(RowArranger.arrange(KINDS, ViewSettings.initial().withKernelThreads(true))));
        assertEquals(List.of(1L, 2L, 3L, 10L, 11L),
                pids(RowArranger.arrange(KINDS, ViewSettings.initial().withKernelThreads(true).withTree(false))));
    }

    @Test
    void threadsComeUnderTheirProcessBeforeItsChildrenAndFollowItsFilter() {
        ViewSettings threads = ViewSettings.initial().withThreads(true);
        List<VisibleRow> rows = RowArranger.arrange(KINDS, threads);
        assertEquals(List.of(1L, 10L, 12L, 13L, 11L), pids(rows));
        assertEquals(List.of(0, 1, 2, 2, 2), rows.stream().map(VisibleRow::depth).toList());
        // a filter matching the process keeps its threads, whose names do not match
        assertEquals(List.of(1L, 10L, 12L, 13L), pids(RowArranger.arrange(KINDS, threads.withFilter("java"))));
        assertEquals(List.of(10L, 12L, 13L), pids(RowArranger.arrange(KINDS, threads.withFilter("java").withTree(false))));
        // a thread's own name matches too
        assertEquals(List.of(1L, 10L, 13L), pids(RowArranger.arrange(KINDS, threads.withFilter("GC"))));
    }
}
