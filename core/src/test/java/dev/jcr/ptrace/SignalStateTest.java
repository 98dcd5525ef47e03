package dev.jcr.ptrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.sys.RseqConfiguration;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** State read from inside a process (remote syscalls) and through ptrace equals what the process reports itself. */
class SignalStateTest {

    static String[] line(String out, String key) {
        for (String l : out.split("\n")) {
            if (l.startsWith(key + " ")) {
                return l.split(" ");
            }
        }
        throw new AssertionError("no " + key + " in\n" + out);
    }

    static long hex(String s) {
        return Long.parseUnsignedLong(s, 16);
    }

    @Test
    void remoteReadsEqualWhatTheFixtureReportsAndLeaveItUnharmed() {
        try (LiveProcess p = Fixture.start("sigstate")) {
            String out = p.stdout();
            int pid = (int) p.pid();
            try (Tracer tracer = Tracer.start()) {
                tracer.seizeTree(pid);
                try (RemoteSyscalls rs = tracer.remote(pid)) {
                    String[] sa = line(out, "SA");
                    SigAction usr2 = rs.sigaction(12);
                    assertEquals(hex(sa[2]), usr2.handler());
                    assertEquals(hex(sa[3]), usr2.flags());
                    assertEquals(hex(sa[4]), usr2.restorer());
                    assertEquals(hex(sa[5]), usr2.mask());
                    assertTrue((usr2.flags() & SigAction.SA_ONSTACK) != 0);
                    List<SigAction> all = rs.sigactions();
                    assertEquals(62, all.size());
                    assertEquals(1, all.stream().filter(a -> a.signal() == 15).findFirst().orElseThrow().handler(),
                            "SIGTERM ignored");
                    assertTrue(all.stream().filter(a -> a.signal() == 11).findFirst().orElseThrow().isDefault(), "SIGSEGV");

                    String[] alt = line(out, "ALTSTACK");
                    AltStack as = rs.sigaltstack();
                    assertEquals(hex(alt[1]), as.sp());
                    assertEquals(Integer.parseInt(alt[2], 16), as.flags());
                    assertEquals(hex(alt[3]), as.size());

                    ITimer real = rs.getitimer(ITimer.REAL);
                    assertEquals(1000, real.intervalSec());
                    assertTrue(real.valueSec() > 400 && real.valueSec() <= 500, "time left " + real.valueSec());
                    assertTrue(!rs.getitimer(ITimer.VIRTUAL).armed());

                    assertEquals(hex(line(out, "TIDADDR")[1]), rs.tidAddress());
                    assertEquals(5, rs.nice());
                    assertEquals(0, rs.schedPolicy(), "SCHED_OTHER");
                    assertEquals(0, rs.schedPriority());

                    PosixTimerState t = rs.timerGettime((int) hex(line(out, "TIMER")[1]));
                    assertEquals(7, t.intervalSec());
                    assertTrue(t.valueSec() > 90 && t.valueSec() <= 100);
                }
                RseqConfiguration rseq = tracer.rseq(pid);
                if (out.contains("RSEQ ")) {
                    assertEquals(hex(line(out, "RSEQ")[1]), rseq.rseqAbiPointer());
                    assertEquals(0x53053053L, rseq.signature());
                }
                long blocked = hex(line(out, "BLOCKED")[1]);
                assertEquals(blocked, tracer.sigmask(pid));
                int rtmin = Integer.parseInt(line(out, "SIGRTMIN")[1]);
                List<SigInfo> mine = tracer.pendingSignals(pid);
                assertEquals(List.of(28), mine.stream().map(SigInfo::signo).toList(), "SIGWINCH for the thread");
                List<SigInfo> shared = tracer.sharedPendingSignals(pid);
                assertEquals(List.of(1, rtmin), shared.stream().map(SigInfo::signo).sorted().toList());
                SigInfo rt = shared.stream().filter(s -> s.signo() == rtmin).findFirst().orElseThrow();
                assertEquals(SigInfo.SI_QUEUE, rt.code());
                assertEquals(pid, rt.senderPid());
            }
            p.signal("USR1");
            assertTrue(p.awaitOutput("PASS", Duration.ofSeconds(10)).contains("PASS usr2=0"));
        }
    }

    @Test
    void aSignalArrivingDuringRemoteExecutionStaysQueuedInTheKernelAndIsDeliveredOnceAfterDetach() {
        try (LiveProcess p = Fixture.start("sigstate")) {
            int pid = (int) p.pid();
            try (Tracer tracer = Tracer.start()) {
                tracer.seizeTree(pid);
                try (RemoteSyscalls rs = tracer.remote(pid)) {
                    assertEquals(pid, rs.getpid());
                    p.signal("USR2");
                    ProcView.sleep(50);
                    assertEquals(pid, rs.getpid()); // the resume meets the signal: blocked, it stays queued
                    assertEquals(0, tracer.task(pid).deferredSignals().size(), "jcr holds nothing back");
                    assertTrue(tracer.sharedPendingSignals(pid).stream().anyMatch(si -> si.signo() == 12),
                            "SIGUSR2 is pending in the kernel, where jcr's death cannot lose it");
                }
            }
            p.signal("USR1");
            assertTrue(p.awaitOutput("PASS", Duration.ofSeconds(10)).contains("PASS usr2=1"), p.stdout());
        }
    }
}
