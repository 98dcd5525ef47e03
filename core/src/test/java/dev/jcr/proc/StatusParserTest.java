package dev.jcr.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatusParserTest {

    static final String STATUS = String.join("\n",
            "Name:\tmy prog) x",
            "Umask:\t0022",
            "State:\tS (sleeping)",
            "Tgid:\t5054",
            "Ngid:\t0",
            "Pid:\t5054",
            "PPid:\t5051",
            "TracerPid:\t77",
            "Uid:\t1000\t1001\t1002\t1003",
            "Gid:\t100\t101\t102\t103",
            "Threads:\t4",
            "VmSize:\t    3060 kB",
            "VmRSS:\t    1756 kB",
            "SigQ:\t0/96365",
            "SigPnd:\t0000000000000000",
            "ShdPnd:\t0000000000000400",
            "SigBlk:\t0000000000010000",
            "SigIgn:\t0000000000001000",
            "SigCgt:\t0000000000000801",
            "CapEff:\t000001fffeffffff",
            "Seccomp:\t2",
            "Kthread:\t0",
            "");

    @Test
    void readsIdsSignalsMemoryAndTracer() {
        StatusParser.Status s = StatusParser.parse("/proc/5054/status", STATUS);
        assertEquals("my prog) x", s.name());
        assertEquals('S', s.state());
        assertEquals(77, s.tracerPid());
        assertEquals(new Ids(1000, 1001, 1002, 1003), s.uids());
        assertEquals(new Ids(100, 101, 102, 103), s.gids());
        assertEquals(4, s.threads());
        assertEquals(1756, s.vmRssKb());
        assertEquals(3060, s.vmSizeKb());
        assertEquals(List.of("SIGHUP", "SIGUSR2"), SignalMasks.names(s.signals().caught()));
        assertEquals(List.of("SIGSEGV"), SignalMasks.names(s.signals().sharedPending()));
        assertEquals(List.of("SIGCHLD"), SignalMasks.names(s.signals().blocked()));
        assertEquals(2, s.seccomp());
        assertEquals(Boolean.FALSE, s.kthread());
    }

    @Test
    void kernelThreadHasNoMemoryLinesAndOldKernelsNoKthreadLine() {
        String kthread = STATUS.replace("VmSize:\t    3060 kB\n", "").replace("VmRSS:\t    1756 kB\n", "")
                .replace("Kthread:\t0\n", "");
        StatusParser.Status s = StatusParser.parse("/proc/2/status", kthread);
        assertEquals(0, s.vmRssKb());
        assertNull(s.kthread());
    }

    @Test
    void badNumberNamesPathLineAndKey() {
        ProcParseException e = assertThrows(ProcParseException.class,
                () -> StatusParser.parse("/proc/1/status", STATUS.replace("Threads:\t4", "Threads:\tfour")));
        assertTrue(e.getMessage().contains("/proc/1/status line 11: Threads is 'four'"), e.getMessage());
    }

    @Test
    void missingUidLineIsAnError() {
        ProcParseException e = assertThrows(ProcParseException.class,
                () -> StatusParser.parse("/proc/1/status", STATUS.replace("Uid:\t1000\t1001\t1002\t1003\n", "")));
        assertTrue(e.getMessage().contains("missing one of"), e.getMessage());
    }

    @Test
    void realTimeSignalsAreNamedRelativeToSigrtmin() {
        assertEquals(List.of("SIGRTMIN+0", "SIGRTMIN+30"), SignalMasks.names((1L << 33) | (1L << 63)));
    }
}
