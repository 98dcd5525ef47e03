package dev.jcr.restore;

import dev.jcr.restore.RestoreListener.Phase;
import dev.jcr.sys.Linux;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Benchmark driver for bench/restore.sh (not a test): restores the images in DIR (detached) ROUNDS
 * times after a warm-up, killing the tree in between, and in every round runs the physical
 * baselines (bench/restore-baseline: reading the same pages files into a reused buffer and into
 * fresh anonymous memory) just before, in the same run. With COLD set the page cache is dropped
 * before each baseline and each restore. Prints {@code name median-seconds} lines, per-phase medians
 * included ({@code phase-NAME seconds}).
 *
 * <p>Usage: RestoreBench DIR ROUNDS BASELINE-BINARY [cold]
 */
public final class RestoreBench {

    private RestoreBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String baseline = args[2];
        boolean cold = args.length > 3 && args[3].equals("cold");
        List<String> pages;
        try (Stream<Path> s = Files.list(dir)) {
            pages = s.map(Path::toString).filter(f -> Path.of(f).getFileName().toString().startsWith("pages-")).sorted()
                    .toList();
        }
        double[] reuse = new double[rounds];
        double[] fresh = new double[rounds];
        double[] restore = new double[rounds];
        Map<Phase, double[]> phases = new EnumMap<>(Phase.class);
        for (int i = -1; i < rounds; i++) {
            double r = baseline(baseline, "reuse", pages, cold);
            double f = baseline(baseline, "fresh", pages, cold);
            if (cold) {
                dropCaches();
            }
            long t0 = System.nanoTime();
            RestoreResult res = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
            double s = (System.nanoTime() - t0) / 1e9;
            Linux.kill(res.rootPid(), 9);
            while (Files.exists(Path.of("/proc/" + res.rootPid()))) {
                Thread.sleep(5);
            }
            if (i >= 0) {
                reuse[i] = r;
                fresh[i] = f;
                restore[i] = s;
                for (Phase p : Phase.values()) {
                    phases.computeIfAbsent(p, k -> new double[rounds])[i] = res.stats().micros(p) / 1e6;
                }
            }
        }
        System.out.printf("read-reuse %.4f%n", median(reuse));
        System.out.printf("read-fresh %.4f%n", median(fresh));
        System.out.printf("restore %.4f%n", median(restore));
        System.out.printf("restore-min %.4f%n", Arrays.stream(restore).min().orElse(0));
        phases.forEach((p, v) -> {
            if (median(v) > 0) {
                System.out.printf("phase-%s %.4f %.4f%n", p.name().toLowerCase(java.util.Locale.ROOT), median(v),
                        Arrays.stream(v).min().orElse(0));
            }
        });
    }

    private static double baseline(String binary, String mode, List<String> pages, boolean cold)
            throws IOException, InterruptedException {
        if (cold) {
            dropCaches();
        }
        List<String> cmd = new ArrayList<>(List.of(binary, mode));
        cmd.addAll(pages);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(binary + " failed: " + out);
        }
        return Double.parseDouble(out);
    }

    private static void dropCaches() throws IOException {
        Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3\n");
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
