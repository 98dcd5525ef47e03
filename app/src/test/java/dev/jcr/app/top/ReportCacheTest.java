package dev.jcr.app.top;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.jcr.testing.Need;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.app.top.model.AnalyzerSource;
import dev.jcr.app.top.model.CrVerdict;
import dev.jcr.app.top.model.ImageStore;
import dev.jcr.app.top.model.ProcessRow;
import dev.jcr.app.top.model.ReportCache;
import dev.jcr.app.top.model.Snapshot;
import dev.jcr.proc.ProcFs;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refresh keeps analyzer reports between scans: what it re-analyses (new, changed signature, the
 * selection, a round-robin share) and that a change the signature cannot see still shows within the bound.
 */
class ReportCacheTest {

    /** Holds file a open; USR1 deletes it (fds and memory unchanged); USR2 opens file b and deletes it. */
    private static final String HOLDER = """
            import os, signal, sys, time
            d = sys.argv[1]
            # 2 MiB (sparse): once deleted, over the ghost-file limit, so it needs --ghost-limit (small ones are restorable)
            a = open(os.path.join(d, 'held-a'), 'w'); a.truncate(2 << 20)
            extra = []
            def unlink_a(s, f):
                os.unlink(os.path.join(d, 'held-a')); print('UNLINKED', flush=True)
            def open_b(s, f):
                p = os.path.join(d, 'held-b'); b = open(p, 'w'); b.truncate(2 << 20); extra.append(b); os.unlink(p)
                print('OPENED', flush=True)
            signal.signal(signal.SIGUSR1, unlink_a)
            signal.signal(signal.SIGUSR2, open_b)
            print('READY', os.getpid(), flush=True)
            while True:
                time.sleep(1)
            """;

    @TempDir
    Path dir;

    @Test
    void everyReportIsReanalysedWithinMaxAgeScansAndChangedOnesAtOnce() {
        ReportCache<Integer, String> cache = new ReportCache<>(4, 0);
        Map<Long, Integer> now = new LinkedHashMap<>();
        for (long pid = 1; pid <= 40; pid++) {
            now.put(pid, 0);
        }
        Set<Long> first = cache.plan(now, -1);
        assertEquals(now.keySet(), first, "nothing known yet: everything");
        first.forEach(pid -> cache.put(pid, 0, "r" + pid));
        Map<Long, Integer> lastSeen = new HashMap<>();
        for (int scan = 1; scan <= 12; scan++) {
            Map<Long, Integer> cur = new LinkedHashMap<>(now);
            cur.put(7L, scan); // pid 7 changes every scan
            Set<Long> todo = cache.plan(cur, 30);
            assertTrue(todo.contains(7L), "a changed signature is re-analysed: " + todo);
            assertTrue(todo.contains(30L), "the focus is re-analysed: " + todo);
            assertTrue(todo.size() <= 2 + 10, "changed + focus + 40/4 round robin: " + todo);
            for (Long pid : todo) {
                cache.put(pid, cur.get(pid), "r" + pid);
                lastSeen.put(pid, scan);
            }
            for (Long pid : cur.keySet()) {
                assertTrue(cache.age(pid) < 4, "pid " + pid + " is " + cache.age(pid) + " scans old at scan " + scan);
                assertTrue(cache.get(pid, cur.get(pid)).isPresent());
            }
        }
        Map<Long, Integer> fewer = new LinkedHashMap<>(now);
        fewer.remove(5L);
        cache.plan(fewer, -1);
        assertEquals(-1, cache.age(5L), "a process gone is forgotten");
        assertEquals(39, cache.size());
    }

    @Test
    void anInvisibleChangeShowsForTheSelectionAtOnceAndForOthersWithinTheRoundRobinBound() {
        try (LiveProcess holder = holder("invisible")) {
            long pid = holder.pid();
            // practically no round robin: only changed signatures and the focus are re-analysed
            AnalyzerSource lazy = new AnalyzerSource(ProcFs.system(), images(), 1_000_000, 0);
            AnalyzerSource rolling = new AnalyzerSource(ProcFs.system(), images(), 3, 0);
            ProcessRow before = row(lazy.scan(), pid);
            assertNotEquals(CrVerdict.NEEDS_OPTION, before.verdict(), before.reason());
            assertNotEquals(CrVerdict.NEEDS_OPTION, row(rolling.scan(), pid).verdict());

            holder.signal("USR1"); // deletes a file it holds: same fds, same memory
            holder.awaitOutput("UNLINKED", Duration.ofSeconds(30));
            assertNotEquals(CrVerdict.NEEDS_OPTION, row(lazy.scan(), pid).verdict(),
                    "the kept report is used while the signature is unchanged");
            ProcessRow focused = row(lazy.scan(pid), pid);
            assertEquals(CrVerdict.NEEDS_OPTION, focused.verdict(), "the selection is always re-analysed");
            assertTrue(focused.reason().contains("held-a"), focused.reason());
            boolean seen = false;
            for (int i = 0; i < 3 && !seen; i++) {
                seen = row(rolling.scan(), pid).verdict() == CrVerdict.NEEDS_OPTION;
            }
            assertTrue(seen, "round robin: every report is re-analysed within 3 scans");
        }
    }

    @Test
    void aNewlyOpenedFileShowsAtTheNextRefresh() {
        try (LiveProcess holder = holder("visible")) {
            long pid = holder.pid();
            AnalyzerSource lazy = new AnalyzerSource(ProcFs.system(), images(), 1_000_000, 0);
            assertNotEquals(CrVerdict.NEEDS_OPTION, row(lazy.scan(), pid).verdict());
            holder.signal("USR2"); // opens another file and deletes it: one fd more
            holder.awaitOutput("OPENED", Duration.ofSeconds(30));
            ProcessRow after = row(lazy.scan(), pid);
            assertEquals(CrVerdict.NEEDS_OPTION, after.verdict(), after.reason());
            assertTrue(after.reason().contains("held-b"), after.reason());
        }
    }

    private LiveProcess holder(String name) {
        Need.tool(Path.of("/usr/bin/python3"), "python3");
        Path d = dir.resolve(name);
        try {
            Files.createDirectories(d);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return LiveProcess.startCommand(List.of("/usr/bin/python3", "-c", HOLDER, d.toString()), Duration.ofSeconds(30), "READY");
    }

    private ImageStore images() {
        return new ImageStore(List.of(dir.resolve("images")));
    }

    private static ProcessRow row(Snapshot s, long pid) {
        return s.processes().stream().filter(p -> p.pid() == pid).findFirst()
                .orElseThrow(() -> new AssertionError("pid " + pid + " not in the scan"));
    }
}
