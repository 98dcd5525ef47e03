package dev.jcr.ptrace;

import java.nio.file.Path;

/**
 * Test helper run in its own JVM (not a test): seizes pid ARGS[0], opens a {@link PipeDrain} and
 * starts copying [ARGS[1], +ARGS[2]) (hex) into file ARGS[3], but stops splicing after the first
 * bytes: the helper thread then waits on a full pipe. Prints DRAINING and waits to be killed.
 */
public final class DrainAndWait {
    private DrainAndWait() {
    }

    public static void main(String[] args) throws Exception {
        int pid = Integer.parseInt(args[0]);
        Tracer tracer = Tracer.start();
        tracer.seizeTree(pid);
        PageRuns runs = new PageRuns();
        runs.add(Long.parseUnsignedLong(args[1], 16), Long.parseUnsignedLong(args[2], 16));
        PipeDrain drain = PipeDrain.open(tracer, pid);
        System.out.println("HELPER " + drain.helperTid());
        int fd = dev.jcr.sys.Linux.open(Path.of(args[3]).toString(), dev.jcr.sys.Linux.O_WRONLY | 0x40, 0600);
        drain.copy(runs, new long[] {0}, fd, bytes -> {
            System.out.println("DRAINING");
            System.out.flush();
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
