package dev.jcr.resource;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.proc.ProcFs;
import dev.jcr.proc.ProcessTree;
import dev.jcr.testing.LiveProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Processes that start and exit while the tree is scanned and analysed: every such race must end as
 * "not in the snapshot", never as an exception or a half-read process.
 */
class ChurnLiveTest {

    @Test
    void scanningWhileProcessesComeAndGoNeverFails() {
        ProcFs fs = ProcFs.system();
        Analyzer analyzer = new Analyzer(fs);
        // a shell that keeps forking short-lived children (each lives a few milliseconds)
        try (LiveProcess churn = LiveProcess.startCommand(List.of("/bin/bash", "-c",
                // children inherit 30 open fds, so an analysis often reads fds of a process that is exiting
                "for fd in $(seq 3 32); do eval \"exec $fd</dev/null\"; done; echo READY;"
                        + " while :; do /bin/sleep 0.00$(( $$ % 7 + 1 )) & /bin/sleep 0.002 & /bin/true; wait; done"),
                Duration.ofSeconds(10), "READY")) {
            int seen = 0;
            for (int i = 0; i < 10; i++) {
                ProcessTree tree = ProcessTree.scan(fs);
                Map<Long, ProcessReport> reports = analyzer.analyzeAll(tree);
                assertTrue(reports.size() <= tree.size());
                for (ProcessReport r : reports.values()) {
                    assertTrue(r.comm() != null && !r.assessments().isEmpty(), r.toString());
                }
                seen += tree.subtree(churn.pid()).size();
            }
            assertTrue(seen >= 10, "the churning shell itself is in every snapshot");
        }
    }
}
