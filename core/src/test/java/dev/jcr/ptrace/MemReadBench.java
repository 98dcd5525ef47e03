package dev.jcr.ptrace;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Benchmark driver for bench/memread.sh (not a test): copies the existing pages of [ADDR, ADDR+LEN)
 * of PID into a file in DIR, several ways, and prints the median seconds of each as
 * {@code name seconds}. Warm-up rounds first. The target should be frozen or idle.
 */
public final class MemReadBench {

    private MemReadBench() {
    }

    public static void main(String[] args) throws Exception {
        int pid = Integer.parseInt(args[0]);
        long addr = Long.parseUnsignedLong(args[1], 16);
        long len = Long.parseUnsignedLong(args[2], 16);
        Path dir = Path.of(args[3]);
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        try (Tracer tracer = Tracer.start()) {
            tracer.seizeTree(pid);
            PageRuns runs;
            try (Pagemap pm = Pagemap.open(pid)) {
                long t0 = System.nanoTime();
                runs = pm.existing(addr, addr + len);
                System.out.printf("pagemap-scan %.6f%n", (System.nanoTime() - t0) / 1e9);
            }
            RemoteMemory mem = new RemoteMemory(pid);
            Path file = dir.resolve("java-pages.img");
            output = file;
            report("java-mmap-file", rounds, () -> {
                Files.deleteIfExists(file);
                mem.copyToFile(runs, file, 0);
            });
            report("java-stream-pwrite", rounds, () -> {
                Files.deleteIfExists(file);
                mem.streamToFile(runs, file, 0);
            });
            if (Boolean.getBoolean("vmsplice")) report("java-vmsplice", rounds, () -> {
                Files.deleteIfExists(file);
                try (PipeDrain drain = PipeDrain.open(tracer, pid)) {
                    drain.copyToFile(runs, file, 0);
                }
            });
            try (RemoteSyscalls rs = tracer.remote(pid)) {
                report("remote-getpid-x1000", rounds, () -> {
                    for (int i = 0; i < 1000; i++) {
                        rs.getpid();
                    }
                });
            }
            ByteBuffer all = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE, runs.bytes()));
            report("java-read-only", rounds, () -> mem.read(runs, all.clear()));
            Files.deleteIfExists(file);
        }
    }

    interface Work {
        void run() throws Exception;
    }

    private static Path output;

    private static void report(String name, int rounds, Work w) throws Exception {
        for (int i = 0; i < 2; i++) {
            w.run();
        }
        double[] t = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            if (output != null) {
                Files.deleteIfExists(output); // as the C baseline: removing the last round's file is not timed
            }
            long t0 = System.nanoTime();
            w.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        System.out.printf("%s %.6f%n", name, t[rounds / 2]);
    }
}
