package dev.jcr.ptrace;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jcr.sys.Linux;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Closing a tracer whose tracees were SIGKILLed while frozen (what {@code jcr dump --kill} does).
 * Dying tasks are no longer in a trace stop, so PTRACE_DETACH fails on them; the non-leader threads
 * of a killed process then stay zombies until their tracer reaps them, and the leader is not
 * reported before they are gone: waiting for the leader first hung forever.
 */
class TracerKillTest {

    @Test
    void closingAfterKillingAFrozenMultiThreadedProcessReturnsAndTheProcessIsGone() throws Exception {
        for (int round = 0; round < 8; round++) {
            try (LiveProcess p = Fixture.startWithFlags("threads", List.of("-pthread"))) {
                int pid = (int) p.pid();
                Tracer tracer = Tracer.start();
                tracer.seizeTree(pid);
                Linux.kill(pid, 9);
                closeWithin(tracer, Duration.ofSeconds(20), "round " + round);
                LiveProcess.awaitGone(pid, Duration.ofSeconds(20));
                assertFalse(Files.exists(Path.of("/proc/" + pid)), "round " + round + ": killed process reaped");
            }
        }
    }

    private static void closeWithin(Tracer tracer, Duration limit, String what) throws Exception {
        CompletableFuture<Void> done = CompletableFuture.runAsync(tracer::close);
        try {
            done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + ": Tracer.close() still running after " + limit + " (hang)");
        }
    }
}
