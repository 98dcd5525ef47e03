package dev.jcr.show.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing: jcr dumps a live fixture, the fixture changes known memory, fds, limits, signal
 * state, cwd and (by waiting elsewhere) registers, jcr dumps it again, and diff must report those
 * changes.
 */
class LiveDiffTest {

    @TempDir
    Path tmp;

    @Test
    void diffOfTwoDumpsOfAChangingProcessFindsWhatItChanged() {
        try (LiveProcess p = Fixture.start("viewer_mutate", tmp.resolve("out.txt").toString())) {
            int pid = (int) p.pid();
            String[] ready = p.stdout().lines().filter(l -> l.startsWith("READY")).findFirst().orElseThrow().split(" ");
            long buf = Long.parseUnsignedLong(ready[2], 16);
            Path a = tmp.resolve("a");
            Path b = tmp.resolve("b");
            new DumpEngine().dump(pid, DumpOptions.to(a), DumpListener.NONE);
            p.signal("USR1");
            p.awaitOutput("CHANGED", Duration.ofSeconds(10));
            new DumpEngine().dump(pid, DumpOptions.to(b), DumpListener.NONE);

            DiffReport r = ImageDiff.between(a, b);
            assertTrue(r.added().isEmpty() && r.removed().isEmpty(), r.toString());
            assertEquals(1, r.changed().size());
            ProcessDiff d = r.changed().get(0);

            // memory: in the buffer, exactly page 5 changed, by exactly 4 bytes
            List<PageDiff.Range> inBuffer = d.pages().ranges().stream()
                    .filter(x -> x.start() >= buf && x.start() < buf + 16 * 4096).toList();
            assertEquals(List.of(new PageDiff.Range(buf + 5 * 4096, buf + 6 * 4096, PageDiff.Kind.changed, 4,
                    inBuffer.isEmpty() ? "" : inBuffer.get(0).mapping())), inBuffer, d.pages().toString());

            // fds: 20 opened, 21 closed, 22 moved on by 10 bytes (stdout/stderr may have moved as well)
            assertEquals(List.of(20), d.fds().added().stream().map(ProcessDiff.Fd::fd).toList());
            assertEquals(List.of(21), d.fds().removed().stream().map(ProcessDiff.Fd::fd).toList());
            ProcessDiff.FdChange f22 = d.fds().changed().stream().filter(c -> c.fd() == 22).findFirst().orElseThrow();
            assertEquals(1, f22.changes().size(), f22.toString());
            assertEquals(new Change("pos", "10", "20"), f22.changes().get(0));
            Set<Integer> changedFds = d.fds().changed().stream().map(ProcessDiff.FdChange::fd).collect(Collectors.toSet());
            assertTrue(Set.of(1, 2, 22).containsAll(changedFds), changedFds.toString());

            // registers: it now waits in another function
            assertEquals(1, d.threads().size());
            assertTrue(d.threads().get(0).registers().stream().anyMatch(c -> c.field().equals("ip")), d.threads().toString());

            assertEquals(List.of("NOFILE"), d.rlimits().stream().map(Change::field).toList());
            assertTrue(d.rlimits().get(0).after().startsWith("64 / "), d.rlimits().toString());
            assertTrue(d.signals().contains(new Change("SIGUSR2", "SIG_DFL", "SIG_IGN")), d.signals().toString());
            assertTrue(d.task().contains(new Change("cwd", "/tmp", "/")), d.task().toString());
            assertTrue(d.creds().isEmpty(), d.creds().toString());
            // jcr's images name the main stack (by mm's start_stack), not just a growing-down guess
            String mems = dev.jcr.show.testing.Show.run("x", a.toString(), "mems").out();
            assertTrue(mems.contains("[stack]") && !mems.contains("[stack?]"), mems);
        }
    }
}
