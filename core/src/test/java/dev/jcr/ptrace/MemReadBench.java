package dev.jcr.ptrace;

import dev.jcr.sys.Linux;
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
            report("java-mmap-file", rounds, () -> {
                Files.deleteIfExists(file);
                mem.copyToFile(runs, file, 0);
            });
            ByteBuffer window = ByteBuffer.allocateDirect(8 << 20);
            report("java-buffer-pwrite", rounds, () -> {
                Files.deleteIfExists(file);
                int fd = Linux.open(file.toString(), Linux.O_WRONLY | 0x40, 0600);
                try {
                    long off = 0;
                    for (int i = 0; i < runs.count(); i++) {
                        for (long done = 0; done < runs.len(i); ) {
                            long n = Math.min(window.capacity(), runs.len(i) - done);
                            PageRuns one = new PageRuns();
                            one.add(runs.addr(i) + done, n);
                            window.clear();
                            mem.read(one, window);
                            window.limit((int) n);
                            Linux.pwrite(fd, window, off);
                            off += n;
                            done += n;
                        }
                    }
                } finally {
                    Linux.close(fd);
                }
            });
            ByteBuffer all = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE, runs.bytes()));
            report("java-read-only", rounds, () -> mem.read(runs, all.clear()));
            Files.deleteIfExists(file);
        }
    }

    interface Work {
        void run() throws Exception;
    }

    private static void report(String name, int rounds, Work w) throws Exception {
        for (int i = 0; i < 2; i++) {
            w.run();
        }
        double[] t = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            w.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        Arrays.sort(t);
        System.out.printf("%s %.6f%n", name, t[rounds / 2]);
    }
}
