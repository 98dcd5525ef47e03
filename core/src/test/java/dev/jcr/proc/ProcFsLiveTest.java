package dev.jcr.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ProcFs against real processes. */
class ProcFsLiveTest {

    private final ProcFs fs = ProcFs.system();

    @TempDir
    Path tmp;

    @Test
    void commWithParenthesesAndSpacesSurvivesTheRealStatFile() throws Exception {
        Path odd = tmp.resolve("a) b (c");
        Files.copy(Fixture.compile("loop"), odd);
        odd.toFile().setExecutable(true);
        try (LiveProcess p = LiveProcess.startCommand(List.of(odd.toString()), Duration.ofSeconds(20), "READY")) {
            ProcessInfo info = untilSleeping(p.pid());
            assertEquals("a) b (c", info.comm());
            assertEquals(List.of(odd.toString()), info.cmdline());
            assertEquals(ProcessState.SLEEPING, info.state());
            assertEquals(p.pid(), info.sid(), "the test kit starts fixtures in their own session");
            assertEquals(1, info.threads());
            assertTrue(info.rssBytes() > 0 && info.vszBytes() >= info.rssBytes());
            assertEquals(0, info.ttyNr());
            assertFalse(info.isTraced());
            assertEquals(SeccompMode.DISABLED, info.seccomp());
            assertEquals(List.of(), info.namespaces().differingFrom(fs.namespaces(fs.selfPid())));
            assertEquals(odd.toString(), fs.exe(p.pid()).orElseThrow().path());
            assertEquals(Path.of("").toAbsolutePath().toString(), fs.cwd(p.pid()).orElseThrow().path());
            assertEquals("/", fs.rootDir(p.pid()).orElseThrow().path());
        }
    }

    /**
     * The fixture prints READY a moment before it blocks, so on a loaded machine the first read can
     * still see it running; wait (bounded) for it to reach its sleep.
     */
    private ProcessInfo untilSleeping(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        ProcessInfo info = fs.process(pid);
        while (info.state() != ProcessState.SLEEPING && System.nanoTime() < deadline) {
            Thread.sleep(20);
            info = fs.process(pid);
        }
        return info;
    }

    @Test
    void mapsOfALiveProcessHaveStackVdsoAndTheExecutable() {
        try (LiveProcess p = Fixture.start("loop")) {
            List<Vma> maps = fs.maps(p.pid());
            assertTrue(maps.stream().anyMatch(v -> v.kind() == VmaKind.STACK));
            assertTrue(maps.stream().anyMatch(v -> v.kind() == VmaKind.VDSO));
            String exe = fs.exe(p.pid()).orElseThrow().path();
            assertTrue(maps.stream().anyMatch(v -> v.kind() == VmaKind.FILE && v.path().equals(exe) && v.executable()));
            for (int i = 1; i < maps.size(); i++) {
                assertTrue(Long.compareUnsigned(maps.get(i - 1).end(), maps.get(i).start()) <= 0, "sorted, disjoint");
            }
        }
    }

    @Test
    void limitsAreReadAndStackIsFinite() {
        try (LiveProcess p = Fixture.start("loop")) {
            List<Rlimit> limits = fs.limits(p.pid());
            assertEquals(16, limits.size(), limits.toString());
            Rlimit files = limits.stream().filter(l -> l.name().equals("Max open files")).findFirst().orElseThrow();
            assertTrue(files.soft() > 0 && files.unit().equals("files"));
        }
    }

    @Test
    void sysctlReadsTheWholeNumberNotItsFirstDigit() throws Exception {
        Process cat = new ProcessBuilder("cat", "/proc/sys/kernel/pid_max").start();
        long expected = Long.parseLong(new String(cat.getInputStream().readAllBytes()).trim());
        assertEquals(expected, fs.sysctl("kernel/pid_max").orElseThrow());
        assertTrue(fs.sysctl("kernel/no-such-setting").isEmpty());
    }

    @Test
    void exeOfAKernelThreadIsAbsentNotEmpty() {
        assertTrue(fs.exe(2).isEmpty());
        assertTrue(fs.process(2).kernelThread());
    }

    @Test
    void pidsIncludeOurselvesAndAreSorted() {
        List<Long> pids = fs.pids();
        assertTrue(pids.contains(ProcessHandle.current().pid()));
        assertEquals(ProcessHandle.current().pid(), fs.selfPid());
        for (int i = 1; i < pids.size(); i++) {
            assertTrue(pids.get(i - 1) < pids.get(i));
        }
    }
}
