package dev.jcr.app.cli;

import dev.jcr.app.Main;
import dev.jcr.proc.ProcFs;
import dev.jcr.proc.ProcessTree;
import dev.jcr.resource.Analyzer;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Benchmark driver for bench/ps.sh. In one warmed-up JVM it times, round-robin so that every
 * measure sees the same machine load: the process-tree scan, the scan plus the C/R analysis of every
 * process, the whole {@code jcr ps --json} command (output discarded), procps
 * {@code ps -eo pid,ppid,rss,comm} (spawned, output discarded) and, as the spawn baseline,
 * {@code /bin/true} spawned the same way. Prints "name median_ms X min_ms Y" lines.
 */
public final class PsBench {

    private PsBench() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        ProcFs fs = ProcFs.system();
        Analyzer analyzer = new Analyzer(fs);
        PrintWriter devNull = new PrintWriter(Writer.nullWriter());
        Map<String, Runnable> measures = new LinkedHashMap<>();
        measures.put("jcr_scan", () -> ProcessTree.scan(fs));
        measures.put("jcr_scan_analysis", () -> analyzer.analyzeAll(ProcessTree.scan(fs)));
        measures.put("jcr_ps_json_in_process", () -> Main.execute(new String[] {"ps", "--json"}, devNull, devNull));
        measures.put("procps_spawned", () -> spawn(List.of("ps", "-eo", "pid,ppid,rss,comm")));
        measures.put("spawn_baseline_true", () -> spawn(List.of("/bin/true")));
        System.out.println("processes " + ProcessTree.scan(fs).size());
        for (int i = 0; i < 5; i++) {
            measures.values().forEach(Runnable::run); // warm-up: JIT, dentry cache
        }
        Map<String, double[]> ms = new LinkedHashMap<>();
        measures.keySet().forEach(k -> ms.put(k, new double[rounds]));
        for (int i = 0; i < rounds; i++) {
            for (Map.Entry<String, Runnable> m : measures.entrySet()) {
                long t = System.nanoTime();
                m.getValue().run();
                ms.get(m.getKey())[i] = (System.nanoTime() - t) / 1e6;
            }
        }
        ms.forEach((k, v) -> {
            Arrays.sort(v);
            System.out.printf("%s median_ms %.2f min_ms %.2f rounds %d%n", k, v[rounds / 2], v[0], rounds);
        });
    }

    private static void spawn(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.to(new File("/dev/null"))).start();
            p.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
