package dev.jcr.restore;

import static dev.jcr.restore.KindImages.dumpAndKill;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.TreeCheck;
import dev.jcr.resource.TreeReport;
import dev.jcr.testing.LiveProcess;
import dev.jcr.testing.Need;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real event-loop programs: node (libuv: epoll, eventfds, pipes, worker threads) and a python3
 * asyncio loop, each counting on a timer and printing every count. Checked, dumped with --kill and
 * restored: the counts go on from where they were, with no number missing or printed twice.
 */
@Timeout(180)
class EventLoopProgramsRestoreTest {

    private static final Path NODE = Path.of("/usr/bin/node");
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String NODE_COUNTER = "let n = 0; console.log('READY');"
            + " setInterval(() => { n++; process.stdout.write('TICK ' + n + '\\n'); }, 20);";

    @TempDir
    Path tmp;

    /**
     * node with libuv's io_uring off (UV_USE_IO_URING=0): node 20 leaves it off by default, later
     * libuv versions may turn it on; an io_uring instance cannot be checkpointed (the test below).
     */
    @Test
    void nodeSetIntervalCounterGoesOnWithoutGapOrRepeat() {
        Need.tool(NODE, "node (Debian package nodejs)");
        try (LiveProcess p = LiveProcess.startCommand(List.of("env", "UV_USE_IO_URING=0", NODE.toString(), "-e",
                NODE_COUNTER), Duration.ofSeconds(30), "READY")) {
            countsOnAcrossRestore(p);
        }
    }

    @Test
    void nodeWithIoUringIsRefusedByCheckNamingTheIoUring() {
        Need.tool(NODE, "node (Debian package nodejs)");
        // libuv makes its rings once the thread pool does file work
        String prog = "const fs = require('fs'); setInterval(() => fs.readFile('/proc/self/stat', () => {}), 10);"
                + " setTimeout(() => console.log('READY'), 300);";
        try (LiveProcess p = LiveProcess.startCommand(List.of("env", "UV_USE_IO_URING=1", NODE.toString(), "-e", prog),
                Duration.ofSeconds(30), "READY")) {
            TreeReport check = TreeCheck.system().check(p.pid(), Set.of());
            Need.environment(check.blockers().stream().anyMatch(b -> b.assessment().kind() == ResourceKind.IO_URING),
                    "this node made no io_uring (its libuv does not use it, or the kernel disables it)");
            assertFalse(check.checkpointable());
            assertTrue(check.messages().stream().filter(m -> m.contains("io_uring")).allMatch(m -> m.matches(
                    ".*fd \\d+: io_uring: not supported: its rings, registered files and buffers and the requests in"
                    + " flight live in the kernel.*")), check.messages().toString());
        }
    }

    /**
     * asyncio's loop wakes from epoll and keeps its timers (call_later) in its own heap, against the
     * monotonic clock; its self-pipe is a unix socketpair, so it is checkpointable only where unix
     * sockets are (until then a known gap, with check saying exactly that).
     */
    @Test
    void pythonAsyncioTimerLoopGoesOnWithoutGapOrRepeat() {
        Need.tool(PYTHON, "python3");
        String prog = "import asyncio\n"
                + "async def main():\n"
                + "    n = 0\n"
                + "    print('READY', flush=True)\n"
                + "    while True:\n"
                + "        n += 1\n"
                + "        print('TICK', n, flush=True)\n"
                + "        await asyncio.sleep(0.02)\n"
                + "asyncio.run(main())\n";
        try (LiveProcess p = LiveProcess.startCommand(List.of(PYTHON.toString(), "-c", prog), Duration.ofSeconds(30),
                "READY")) {
            // its self-pipe is a unix socketpair, beside the epoll and the timer heap
            TreeReport check = TreeCheck.system().check(p.pid(), Set.of());
            assertTrue(check.checkpointable(), "asyncio is checkpointable: " + check.messages());
            countsOnAcrossRestore(p);
        }
    }

    /** P prints "TICK n" for n = 1, 2, …: dumped with --kill, restored, it goes on with n + 1. */
    private void countsOnAcrossRestore(LiveProcess p) {
        p.awaitOutput("TICK 10\n", Duration.ofSeconds(20));
        TreeReport check = TreeCheck.system().check(p.pid(), Set.of());
        assertTrue(check.checkpointable(), check.messages().toString());
        Path dir = tmp.resolve("img");
        dumpAndKill(p, dir);
        int before = ticks(p.stdout()).size();
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        assertEquals((int) p.pid(), r.rootPid());
        p.awaitOutput("TICK " + (before + 20) + "\n", Duration.ofSeconds(30));
        List<Integer> ticks = ticks(p.stdout());
        assertEquals(IntStream.rangeClosed(1, ticks.size()).boxed().toList(), ticks,
                "every count once, in order, across the restore (it was at " + before + ")");
    }

    /** The counts of the complete lines of OUT. */
    private static List<Integer> ticks(String out) {
        return out.substring(0, out.lastIndexOf('\n') + 1).lines().filter(l -> l.startsWith("TICK ")).map(l -> Integer.parseInt(l.substring(5).trim())).toList();
    }
}
