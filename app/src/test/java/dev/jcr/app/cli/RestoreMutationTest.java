package dev.jcr.app.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jcr.JcrException;
import dev.jcr.Quote;
import dev.jcr.app.ExitCode;
import dev.jcr.app.Main;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.image.ImageKind;
import dev.jcr.restore.CriuVectors;
import dev.jcr.restore.ImageMutator;
import dev.jcr.restore.PlanBuilder;
import dev.jcr.restore.ProcessPlan;
import dev.jcr.restore.RestorePlan;
import dev.jcr.restore.ThreadPlan;
import dev.jcr.restore.VectorLock;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sample of core's structured image mutations (PlanMutationTest runs thousands through the plan)
 * through the real {@code jcr restore}: CRIU's counter vector and a jcr dump of the ghost fixture (a
 * deleted file). Whatever the mutation, jcr exits with a typed code — the plan's own refusal when the
 * plan refuses, else the restored root's status or a typed failure — never 70, with at most one
 * clean line on stderr, and leaves no process and no file behind.
 *
 * <p>Only images that cannot redirect a restored process's writes are mutated here (not files.img,
 * whose names and flags decide what gets opened for writing, nor mm or remap-fpath): a harmless-looking
 * mutation is restored for real and runs until the test kills it.
 */
@ExtendWith(VectorLock.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)   // a hang guard, not a speed check
class RestoreMutationTest {

    private static final Set<ImageKind> RUNNABLE = Set.of(ImageKind.INVENTORY, ImageKind.PSTREE, ImageKind.CORE,
            ImageKind.IDS, ImageKind.PAGEMAP, ImageKind.FDINFO, ImageKind.FS, ImageKind.PIPES_DATA,
            ImageKind.FIFO_DATA, ImageKind.GHOST_FILE);

    @TempDir
    Path tmp;

    private record Outcome(int code, String err) {
    }

    @Test
    void mutatedDumpsThroughJcrRestoreExitTypedAndLeaveNothingBehind() throws Exception {
        Map<String, Integer> codes = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        Path counter = CriuVectors.prepare("counter", "counter.out");
        CriuVectors.assumePidsFree(counter);
        run("counter", counter, 40, List.of(CriuVectors.RUN_DIR), codes, failures);
        Path work = Files.createDirectories(tmp.resolve("ghost-work"));
        Path ghost = tmp.resolve("ghost-img");
        try (LiveProcess p = Fixture.start("ghost", work.toString())) {
            new DumpEngine().dump((int) p.pid(), new DumpOptions(ghost, true, false), DumpListener.NONE);
            LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(20));
        }
        run("ghost", ghost, 20, List.of(work), codes, failures);
        System.out.println("RestoreMutationTest: exit codes " + codes);
        if (!failures.isEmpty()) {
            fail(failures.size() + " mutated restores went wrong:\n" + String.join("\n", failures));
        }
        assertTrue(codes.containsKey("7") && codes.keySet().stream().anyMatch(c -> !c.equals("7")),
                "refused and restored mutations both occur: " + codes);
    }

    private void run(String name, Path source, int samples, List<Path> watched, Map<String, Integer> codes,
            List<String> failures) throws Exception {
        Path dir = copy(source, tmp.resolve("m-" + name));
        RestorePlan original = PlanBuilder.build(dir);
        ImageMutator mutator = ImageMutator.of(dir, RUNNABLE);
        Random rnd = new Random(name.hashCode() * 17L + 5);
        List<Path> dirs = new ArrayList<>(watched);
        dirs.add(dir);
        for (int i = 0; i < samples; i++) {
            ImageMutator.Mutation m = mutator.next(rnd);
            Path file = dir.resolve(m.file());
            byte[] before = Files.readAllBytes(file);
            Map<Path, Set<String>> listings = listings(dirs);
            Files.write(file, m.bytes());
            String label = name + " #" + i + " (" + m.what() + ")";
            try {
                RestorePlan plan = null;
                JcrException refusal = null;
                try {
                    plan = PlanBuilder.build(dir);
                } catch (JcrException e) {
                    refusal = e;
                }
                Set<Integer> pids = pids(original);
                if (plan != null) {
                    pids.addAll(pids(plan));
                }
                String exe = original.files().get(original.processes().get(0).mm().getExeFileId()).getReg().getName();
                Outcome o = restore(dir, plan, exe);
                codes.merge(Integer.toString(o.code()), 1, Integer::sum);
                String problem = judge(o, refusal);
                if (problem != null) {
                    failures.add(label + ": " + problem);
                }
                for (int pid : pids) {
                    LiveProcess.awaitGone(pid, Duration.ofSeconds(20));
                    if (Files.exists(Path.of("/proc/" + pid))) {
                        failures.add(label + ": process " + pid + " is left behind");
                    }
                }
            } finally {
                Files.write(file, before);
            }
            Map<Path, Set<String>> after = listings(dirs);
            if (!after.equals(listings)) {
                failures.add(label + ": files appeared or vanished: " + listings + " -> " + after);
            }
        }
    }

    /** `jcr restore -D DIR`, waiting for the root; a restored tree that runs is killed once it runs untraced. */
    private static Outcome restore(Path dir, RestorePlan plan, String exe) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> f = CompletableFuture.supplyAsync(() ->
                Main.execute(new String[] {"restore", "-D", dir.toString()}, new PrintWriter(out, true), new PrintWriter(err, true)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!f.isDone() && System.nanoTime() < deadline) {
            if (plan != null) {
                int root = plan.processes().get(0).pid();
                if (runsUntraced(root, exe)) {
                    new ProcessBuilder("kill", "-9", Integer.toString(root)).start().waitFor();
                }
            }
            Thread.sleep(10);
        }
        return new Outcome(f.get(30, TimeUnit.SECONDS), err.toString());
    }

    /** Whether PID is the restored program (its executable), resumed: jcr's restore of it is over. */
    private static boolean runsUntraced(int pid, String exe) {
        try {
            Path proc = Path.of("/proc/" + pid);
            if (!Files.readSymbolicLink(proc.resolve("exe")).toString().equals(exe)) {
                return false;
            }
            return Files.readAllLines(proc.resolve("status")).stream().anyMatch(l -> l.equals("TracerPid:\t0"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * What is wrong with outcome O, or null. jcr's own failures are one "restore: " line and a typed code;
     * a restored root that ran and ended (or was killed) gives its status with nothing on stderr.
     */
    private static String judge(Outcome o, JcrException refusal) {
        String err = o.err().strip();
        if (err.contains("internal error")) {
            return "internal error: " + Quote.of(o.err());
        }
        for (char c : err.toCharArray()) {
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return "raw control character in " + Quote.of(o.err());
            }
        }
        if (refusal != null && o.code() != ExitCode.of(refusal.kind()).code) {
            return "the plan refused with " + refusal.kind() + " but jcr exited " + o.code() + ": " + Quote.of(o.err());
        }
        if (refusal != null || !err.isEmpty()) {
            boolean typed = o.code() >= ExitCode.NO_SUCH_PROCESS.code && o.code() <= ExitCode.CONFLICT.code;
            if (!typed || !err.startsWith("restore: ") || err.lines().count() != 1) {
                return "exit " + o.code() + " is not one typed failure line: " + Quote.of(o.err());
            }
        }
        return null;
    }

    private static Set<Integer> pids(RestorePlan plan) {
        Set<Integer> out = new TreeSet<>();
        for (ProcessPlan p : plan.processes()) {
            for (ThreadPlan t : p.threads()) {
                out.add(t.tid());
            }
        }
        return out;
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : s.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private static Map<Path, Set<String>> listings(List<Path> dirs) throws IOException {
        Map<Path, Set<String>> out = new LinkedHashMap<>();
        for (Path d : dirs) {
            try (Stream<Path> s = Files.list(d)) {
                out.put(d, new TreeSet<>(s.map(p -> p.getFileName().toString()).toList()));
            }
        }
        return out;
    }
}
