package dev.jcr.restore;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.resource.TreeCheck;
import dev.jcr.sys.Linux;
import dev.jcr.testing.LiveProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Benchmark driver for bench/fds.sh (not a test): for each KIND and each N, ROUNDS times after one
 * warm-up round, starts bench/fds-holder (which makes the N objects and says how long that took: the
 * C baseline, measured in the same run), then times jcr's check, dump (--kill) and restore of it in
 * this JVM, and kills the restored process. Prints one line per KIND and N with the medians in
 * seconds: {@code KIND N made check dump restore}.
 *
 * <p>Usage: FdsBench HOLDER WORKDIR ROUNDS KIND[,KIND…] N…
 */
public final class FdsBench {

    private FdsBench() {
    }

    public static void main(String[] args) throws Exception {
        String holder = args[0];
        Path work = Path.of(args[1]);
        int rounds = Integer.parseInt(args[2]);
        List<String> kinds = List.of(args[3].split(","));
        int[] sizes = Arrays.stream(args, 4, args.length).mapToInt(Integer::parseInt).toArray();
        round(holder, work, kinds.get(0), sizes[0]); // warm-up: classes loaded, code compiled
        for (String kind : kinds) {
            for (int n : sizes) {
                double[][] t = new double[4][rounds];
                for (int r = 0; r < rounds; r++) {
                    double[] one = round(holder, work, kind, n);
                    for (int k = 0; k < 4; k++) {
                        t[k][r] = one[k];
                    }
                }
                System.out.printf("%s %d %.6f %.6f %.6f %.6f%n", kind, n, median(t[0]), median(t[1]), median(t[2]),
                        median(t[3]));
            }
        }
    }

    /** made, check, dump, restore in seconds, for one holder of N objects of KIND. */
    private static double[] round(String holder, Path work, String kind, int n) throws Exception {
        Path files = Files.createDirectories(work.resolve("watched-" + n));
        Path dir = work.resolve("img");
        deleteTree(dir);
        LiveProcess p = LiveProcess.startCommand(List.of(holder, kind, Integer.toString(n), files.toString()),
                Duration.ofSeconds(60), "READY");
        double made = Double.parseDouble(p.stdout().lines().filter(l -> l.startsWith("MADE ")).findFirst().orElseThrow()
                .substring(5));
        long t0 = System.nanoTime();
        if (!TreeCheck.system().check(p.pid(), Set.of()).checkpointable()) {
            throw new IllegalStateException(kind + " holder is not checkpointable");
        }
        long t1 = System.nanoTime();
        new DumpEngine().dump((int) p.pid(), new DumpOptions(dir, true, false), DumpListener.NONE);
        long t2 = System.nanoTime();
        LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(30));
        long t3 = System.nanoTime();
        RestoreResult res = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        long t4 = System.nanoTime();
        Linux.kill(res.rootPid(), 9);
        LiveProcess.awaitGone(res.rootPid(), Duration.ofSeconds(30));
        return new double[] {made, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t4 - t3) / 1e9};
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(all::add);
        }
        for (int i = all.size() - 1; i >= 0; i--) {
            Files.delete(all.get(i));
        }
    }
}
