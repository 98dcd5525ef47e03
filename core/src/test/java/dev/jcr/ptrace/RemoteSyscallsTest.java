package dev.jcr.ptrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.sys.Linux;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RemoteSyscallsTest {

    @Test
    void remoteGetpidAnswersWithTheTargetsPid() {
        try (LiveProcess p = Fixture.start("loop"); Tracer tracer = Tracer.start()) {
            tracer.seizeTree((int) p.pid());
            try (RemoteSyscalls rs = tracer.remote((int) p.pid())) {
                assertEquals(p.pid(), rs.getpid());
                assertEquals(p.pid(), rs.gettid());
            }
        }
    }

    @Test
    void remoteMmapAppearsInTheTargetAndLeavesNothingBehind() {
        try (LiveProcess p = Fixture.start("ticker")) {
            String mapsBefore;
            GpRegs before;
            try (Tracer tracer = Tracer.start()) {
                tracer.seizeTree((int) p.pid());
                mapsBefore = ProcView.maps(p.pid());
                before = tracer.gpRegs((int) p.pid());
                try (RemoteSyscalls rs = tracer.remote((int) p.pid())) {
                    long addr = rs.mmap(0, 3 * 4096, Linux.PROT_READ | Linux.PROT_WRITE,
                            Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS, -1, 0);
                    assertTrue(ProcView.maps(p.pid()).contains(Long.toHexString(addr) + "-"), "mapped in target");
                    rs.write(addr + 100, new byte[] {1, 2, 3});
                    assertEquals(2, rs.read(addr + 101, 1)[0]);
                    rs.munmap(addr, 3 * 4096);
                    assertFalse(ProcView.maps(p.pid()).contains(Long.toHexString(addr) + "-"));
                    rs.scratch(100); // a scratch page that close() must take away
                }
                assertEquals(mapsBefore, ProcView.maps(p.pid()), "no mapping left behind");
                assertEquals(before, tracer.gpRegs((int) p.pid()), "registers restored");
            }
            int at = ProcView.ticks(p.stdout());
            p.awaitOutput("TICK " + (at + 5), Duration.ofSeconds(10));
            String out = p.stdout();
            String[] lines = out.substring(out.indexOf("TICK 1\n")).split("\n");
            for (int i = 0; i < lines.length - 1; i++) {
                assertEquals("TICK " + (i + 1), lines[i], "ticks continue without gap or repeat");
            }
        }
    }

    @Test
    void remoteErrorsComeBackAsTypedErrno() {
        try (LiveProcess p = Fixture.start("loop"); Tracer tracer = Tracer.start()) {
            tracer.seizeTree((int) p.pid());
            try (RemoteSyscalls rs = tracer.remote((int) p.pid())) {
                RemoteSyscallException e = assertThrows(RemoteSyscallException.class,
                        () -> rs.munmap(0x1001, 4096)); // unaligned: EINVAL
                assertEquals(22, e.errno());
                assertEquals(JcrException.Kind.INTERNAL, e.kind());
                assertEquals(p.pid(), rs.getpid(), "the session still works after an error");
            }
            tracer.close();
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(10));
        }
    }

    @Test
    void manyRemoteSessionsOnEveryThreadKeepAMultithreadedProcessCorrect() {
        try (LiveProcess p = Fixture.startWithFlags("threads", java.util.List.of("-pthread"))) {
            try (Tracer tracer = Tracer.start()) {
                FrozenTree tree = tracer.seizeTree((int) p.pid());
                for (int round = 0; round < 3; round++) {
                    for (int tid : tree.allThreads()) {
                        try (RemoteSyscalls rs = tracer.remote(tid)) {
                            assertEquals(tid, rs.gettid());
                            assertEquals(p.pid(), rs.getpid());
                        }
                    }
                }
            }
            p.signal("USR1");
            p.awaitOutput("PASS", Duration.ofSeconds(10));
        }
    }
}
