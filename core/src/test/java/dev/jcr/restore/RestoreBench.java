package dev.jcr.restore;

import dev.jcr.sys.Linux;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Benchmark driver for bench/restore.sh (not a test): restores the images in DIR (detached) ROUNDS
 * times after a warm-up, killing the tree in between, and reads the same pages files with pread
 * into a buffer as the baseline, in the same run. Prints {@code name median-seconds}.
 */
public final class RestoreBench {

    private RestoreBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        double[] restore = new double[rounds];
        double[] read = new double[rounds];
        for (int i = -1; i < rounds; i++) {
            long t0 = System.nanoTime();
            long bytes = readPages(dir);
            double r = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            RestoreResult res = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
            double s = (System.nanoTime() - t0) / 1e9;
            Linux.kill(res.rootPid(), 9);
            while (Files.exists(Path.of("/proc/" + res.rootPid()))) {
                Thread.sleep(5);
            }
            if (i >= 0) {
                read[i] = r;
                restore[i] = s;
            } else {
                System.out.printf("bytes %d%n", bytes);
            }
        }
        System.out.printf("read-pages %.4f%n", median(read));
        System.out.printf("restore %.4f%n", median(restore));
    }

    private static long readPages(Path dir) throws Exception {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        long total = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.getFileName().toString().startsWith("pages-")).toList()) {
                int fd = Linux.open(f.toString(), Linux.O_RDONLY, 0);
                try {
                    long off = 0;
                    long n;
                    while ((n = Linux.pread(fd, buf, off)) > 0) {
                        off += n;
                    }
                    total += off;
                } finally {
                    Linux.close(fd);
                }
            }
        }
        return total;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
