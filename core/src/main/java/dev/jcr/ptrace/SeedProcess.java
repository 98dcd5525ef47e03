package dev.jcr.ptrace;

import dev.jcr.sys.Linux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process jcr controls completely, from which a restore builds the tree: an ordinary small program
 * (by default {@code /bin/sleep}) started detached from the JVM (so the JVM's reaper cannot steal its
 * stops), seized with PTRACE_O_TRACECLONE/FORK/VFORK (children it makes are traced and stopped from
 * their first instruction) and PTRACE_O_EXITKILL (if jcr dies, the half-made tree dies with it).
 *
 * <p>Everything then happens by remote syscalls ({@link #remote()}): {@code clone3} with
 * {@code set_tid} makes a child with a chosen pid; mmap/munmap/prctl(PR_SET_MM…) reshape its memory.
 * Since remote execution only needs the {@code syscall} instruction in the vDSO, a seed or child can
 * unmap every other mapping it has and still be driven.
 */
public final class SeedProcess implements AutoCloseable {

    public static final long OPTIONS = Linux.PTRACE_O_TRACECLONE | Linux.PTRACE_O_TRACEFORK
            | Linux.PTRACE_O_TRACEVFORK | Linux.PTRACE_O_EXITKILL;

    private final Tracer tracer;
    private final int pid;

    private SeedProcess(Tracer tracer, int pid) {
        this.tracer = tracer;
        this.pid = pid;
    }

    /** Starts {@code /bin/sleep} as a seed. */
    public static SeedProcess spawn(Tracer tracer) {
        return spawn(tracer, Path.of("/bin/sleep"), "100000");
    }

    /** Starts EXECUTABLE with ARGS detached (own session, reparented to init) and seizes it. */
    public static SeedProcess spawn(Tracer tracer, Path executable, String... args) {
        StringBuilder cmd = new StringBuilder("setsid ").append(quote(executable.toString()));
        for (String a : args) {
            cmd.append(' ').append(quote(a));
        }
        cmd.append(" </dev/null >/dev/null 2>&1 & echo $!");
        int pid;
        try {
            Process sh = new ProcessBuilder("/bin/sh", "-c", cmd.toString()).start();
            pid = Integer.parseInt(new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
            sh.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new TraceException(0, "cannot start seed " + executable + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TraceException(0, "interrupted while starting a seed");
        }
        awaitExec(pid, executable);
        tracer.seizeTask(pid, OPTIONS);
        return new SeedProcess(tracer, pid);
    }

    /** Waits until PID runs EXECUTABLE (setsid has exec'd it), so we seize the seed, not the launcher. */
    private static void awaitExec(int pid, Path executable) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        Path want;
        try {
            want = executable.toRealPath();
        } catch (IOException e) {
            want = executable;
        }
        while (System.nanoTime() < deadline) {
            try {
                if (Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).equals(want)) {
                    return;
                }
            } catch (IOException e) {
                // not there yet, or gone
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new TraceException(pid, "seed did not start " + executable);
    }

    public int pid() {
        return pid;
    }

    /** A remote session on the seed (close it before driving another task). */
    public RemoteSyscalls remote() {
        return tracer.remote(pid);
    }

    /** The mappings of the seed other than [vdso], [vvar] and [vsyscall], as [start, end) pairs. */
    public List<long[]> removableMappings() {
        List<long[]> out = new ArrayList<>();
        String maps = new ProcFiles(Path.of("/proc")).read(pid + "/maps").orElse("");
        for (String line : maps.split("\n")) {
            if (line.isBlank() || line.contains("[vdso]") || line.contains("[vvar") || line.contains("[vsyscall]")) {
                continue;
            }
            String r = line.substring(0, line.indexOf(' '));
            int dash = r.indexOf('-');
            out.add(new long[] {Long.parseUnsignedLong(r.substring(0, dash), 16),
                Long.parseUnsignedLong(r.substring(dash + 1), 16)});
        }
        return out;
    }

    /** Kills the seed. Its children are the caller's to keep or kill ({@link Tracer#kill}). */
    @Override
    public void close() {
        tracer.kill(pid);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
