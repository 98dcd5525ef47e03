package dev.jcr.ptrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.proc.ProcFs;
import dev.jcr.sys.Linux;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the restore engine stands on: a seed driven purely by remote syscalls. */
class SeedProcessTest {

    /** A pid nobody uses, well above the last one handed out. */
    static int freePid() throws Exception {
        int last = (int) ProcFs.system().sysctl("kernel/ns_last_pid").orElseThrow();
        int max = (int) ProcFs.system().sysctl("kernel/pid_max").orElseThrow();
        for (int pid = last + 777; ; pid++) {
            int p = 300 + (pid - 300) % (max - 300);
            if (!Files.exists(Path.of("/proc/" + p))) {
                return p;
            }
        }
    }

    static String status(int pid, String key) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(key + ":")) {
                return l.substring(key.length() + 1).trim();
            }
        }
        throw new AssertionError(key);
    }

    @Test
    void clone3InsideASeedCreatesAProcessWithTheChosenPid() throws Exception {
        int wanted = freePid();
        try (Tracer tracer = Tracer.start()) {
            int seedPid;
            try (SeedProcess seed = SeedProcess.spawn(tracer)) {
                seedPid = seed.pid();
                List<Integer> kids;
                try (RemoteSyscalls rs = seed.remote()) {
                    int child = rs.clone3(0, 17 /* SIGCHLD */, wanted);
                    assertEquals(wanted, child);
                    kids = rs.newChildren();
                }
                assertEquals(List.of(wanted), kids);
                assertEquals(Integer.toString(seedPid), status(wanted, "PPid"));
                assertEquals(Integer.toString(tracer.threadId()), status(wanted, "TracerPid"),
                        "the child is traced from its first instruction");
                assertEquals(StopKind.NEW_CHILD, tracer.task(wanted).stop());
                try (RemoteSyscalls child = tracer.remote(wanted)) {
                    assertEquals(wanted, child.getpid(), "the child is drivable too");
                }
                tracer.kill(wanted);
            }
            LiveProcess.awaitGone(wanted, Duration.ofSeconds(10));
            LiveProcess.awaitGone(seedPid, Duration.ofSeconds(10));
            assertFalse(Files.exists(Path.of("/proc/" + seedPid)), "seed gone");
            assertFalse(Files.exists(Path.of("/proc/" + wanted)), "child gone");
        }
    }

    @Test
    void aSeedStrippedToItsVdsoStillExecutesRemoteSyscalls() {
        try (Tracer tracer = Tracer.start(); SeedProcess seed = SeedProcess.spawn(tracer)) {
            try (RemoteSyscalls rs = seed.remote()) {
                rs.unregisterRseq(); // its struct rseq lives in memory about to go
                List<long[]> maps = seed.removableMappings();
                assertTrue(maps.size() > 3, "libc, binary, stack, heap …");
                for (long[] m : maps) {
                    rs.munmap(m[0], m[1] - m[0]);
                }
                assertTrue(seed.removableMappings().isEmpty(), "nothing but vdso/vvar left");
                assertEquals(seed.pid(), rs.getpid());
                long at = rs.mmap(0x10000000L, 8192, Linux.PROT_READ | Linux.PROT_WRITE,
                        Linux.MAP_PRIVATE | Linux.MAP_ANONYMOUS | Linux.MAP_FIXED, -1, 0);
                assertEquals(0x10000000L, at);
                rs.write(at, new byte[] {42});
                assertEquals(42, rs.read(at, 1)[0]);
            }
        }
    }
}
