package dev.jcr.resource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.proc.ProcFs;
import dev.jcr.proc.ProcessGoneException;
import dev.jcr.proc.ProcessInfo;
import dev.jcr.proc.ProcessTree;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalyzerLiveTest {

    private final ProcFs fs = ProcFs.system();

    @Test
    void plainLoopIsCheckpointableWithMemoryThreadAndSignalAssessments() {
        try (LiveProcess p = Fixture.start("loop")) {
            ProcessReport r = new Analyzer(fs).analyze(p.pid());
            assertEquals(List.of(), r.blockers());
            assertEquals(Verdict.SUPPORTED, r.verdict());
            assertTrue(r.checkpointable());
            assertEquals("loop-" , r.comm().substring(0, 5));
            assertTrue(r.assessments().stream().anyMatch(a -> a.kind() == ResourceKind.MEMORY_MAPPING
                    && a.reason().startsWith("[stack]")));
            assertEquals(1, r.assessments().stream().filter(a -> a.kind() == ResourceKind.THREAD).count());
            assertTrue(r.assessments().stream().anyMatch(a -> a.kind() == ResourceKind.SIGNAL_STATE
                    && a.reason().contains("SIGUSR1")), "loop catches SIGUSR1");
        }
    }

    @Test
    void nonexistentPidIsProcessGone() {
        ProcessGoneException e = assertThrows(ProcessGoneException.class, () -> new Analyzer(fs).analyze(999_999_999L));
        assertEquals(999_999_999L, e.pid());
    }

    @Test
    void processThatExitsDuringTheScanIsGoneAndLeftOutOfTheTreeAnalysis() {
        LiveProcess p = Fixture.start("loop");
        ProcessTree tree = ProcessTree.scan(fs);
        ProcessInfo before = tree.get(p.pid()).orElseThrow();
        assertEquals(p.pid(), before.pid());
        p.close();
        LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(10));
        assertThrows(ProcessGoneException.class, () -> fs.fds(p.pid()));
        assertThrows(ProcessGoneException.class, () -> fs.maps(p.pid()));
        assertThrows(ProcessGoneException.class, () -> fs.threads(p.pid()));
        Map<Long, ProcessReport> all = new Analyzer(fs).analyzeAll(tree);
        assertFalse(all.containsKey(p.pid()));
        assertTrue(all.containsKey(fs.selfPid()));
    }

    @Test
    void jcrItselfIsRefused() {
        ProcessReport r = new Analyzer(fs).analyze(ProcessHandle.current().pid());
        assertTrue(r.blockers().stream().anyMatch(a -> a.reason().equals("this is jcr itself")), r.blockers().toString());
    }

    @Test
    void kernelThreadIsRefusedWithoutReadingItsResources() {
        ProcessReport r = new Analyzer(fs).analyze(2);
        assertEquals(Verdict.UNSUPPORTED, r.verdict());
        assertEquals(1, r.assessments().size());
        assertTrue(r.assessments().get(0).reason().startsWith("kernel thread"));
    }
}
