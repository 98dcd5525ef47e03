package dev.jcr.ptrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.sys.Linux;
import dev.jcr.testing.LiveProcess;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the restore engine stands on: a seed driven purely by remote syscalls. */
class SeedProcessTest {

    /** A pid nobody uses, well above the last one handed out. */
    static int freePid() throws Exception {
        int last = sysctl("kernel/ns_last_pid");
        int max = sysctl("kernel/pid_max");
        for (int pid = last + 777; ; pid++) {
            int p = 300 + (pid - 300) % (max - 300);
            if (!Files.exists(Path.of("/proc/" + p))) {
                return p;
            }
        }
    }

    /**
     * A /proc/sys integer read in one read(2): these files answer a read at a non-zero offset with
     * EOF, so Files.readString (which starts with a short read when the size says 0) sees one digit.
     */
    static int sysctl(String name) throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys", name))) {
            return Integer.parseInt(new String(in.readNBytes(64), StandardCharsets.US_ASCII).trim());
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
