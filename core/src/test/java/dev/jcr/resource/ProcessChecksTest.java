package dev.jcr.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.proc.Ids;
import dev.jcr.proc.NamespaceType;
import dev.jcr.proc.Namespaces;
import dev.jcr.proc.PathLink;
import dev.jcr.proc.ProcessInfo;
import dev.jcr.proc.ProcessState;
import dev.jcr.proc.SeccompMode;
import dev.jcr.proc.SignalMasks;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Process-level blockers on hand-made snapshots (the live ones are in the live tests). */
class ProcessChecksTest {

    private static final Namespaces OURS = new Namespaces(Map.of(NamespaceType.PID, 10L, NamespaceType.NET, 20L));
    private static final Self ROOT = new Self(1, 0, 1L << Self.CAP_SYS_PTRACE, OURS);

    private static ProcessInfo proc(long uid, long sid, int tty, long tracer, Namespaces ns) {
        return new ProcessInfo(500, 1, 500, sid, ProcessState.SLEEPING, "p", List.of("p"),
                new Ids(uid, uid, uid, uid), new Ids(0, 0, 0, 0), 1, 0, 0, 0, tty, tracer, SeccompMode.DISABLED,
                false, 0, new SignalMasks(0, 0, 0, 0, 0), ns);
    }

    private static List<Assessment> check(Self self, ProcessInfo p, String root) {
        return new ProcessChecks(self).assess(p, Optional.of(new PathLink("/", false)),
                Optional.of(new PathLink(root, false)), pid -> pid == 77 ? "gdb" : null);
    }

    @Test
    void plainProcessHasNoBlockers() {
        assertEquals(List.of(), check(ROOT, proc(1000, 500, 0, 0, OURS), "/"));
    }

    @Test
    void everyBlockerIsCollected() {
        Namespaces other = new Namespaces(Map.of(NamespaceType.PID, 11L, NamespaceType.NET, 21L));
        Self unprivileged = new Self(1, 1000, 0, OURS);
        List<String> reasons = check(unprivileged, proc(0, 400, 0x8803, 77, other), "/jail").stream()
                .map(Assessment::message).toList();
        assertEquals(List.of(
                "tracer: already traced by pid 77 (gdb): a process can have only one tracer",
                "process: in another PID namespace than jcr: not supported yet",
                "process: in another net namespace than jcr: not supported yet",
                "access: owned by uid 0, and jcr (uid 1000) lacks CAP_SYS_PTRACE: run jcr as root",
                "root: chrooted to /jail: not supported yet",
                "session: session leader 400 is outside the dumped tree",
                "terminal: controlling terminal /dev/pts/3"), reasons);
    }

    @Test
    void terminalAndForeignSessionNeedShellJob() {
        List<Assessment> a = check(ROOT, proc(0, 400, 0x8803, 0, OURS), "/");
        assertTrue(a.stream().allMatch(x -> x.verdict() == Verdict.NEEDS_OPTION && "--shell-job".equals(x.option())));
        assertEquals(Verdict.NEEDS_OPTION, ProcessReport.of(500, "p", a).verdict());
        assertEquals(java.util.Set.of("--shell-job"), ProcessReport.of(500, "p", a).options());
    }
}
