package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jcr.JcrException;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Structured mutations of real dumps through the restore plan: CRIU 4.2's own vectors and jcr dumps of
 * fixtures holding a deleted file, a FIFO, shared memory and an eventfd, each changed field by field
 * ({@link ImageMutator}: framing intact, meaning not). Every mutated directory must give either a plan
 * (a harmless change) or a clean typed error — bad image, unsupported, conflict — on one line, naming the
 * image when the image is at fault, with nothing from the images printed raw; never an internal error,
 * and the directory is left as it was. What a plan accepts must be sound: the pages it will read lie
 * in their pages files, shared memory runs inside their objects. The byte-level side is
 * {@code BadImageTest}; a sample of these mutations goes through the real {@code jcr restore} in
 * app's {@code RestoreMutationTest}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)   // a hang guard, not a speed check
class PlanMutationTest {

    /** Mutations per source directory (11 sources). */
    private static final int PER_SOURCE = 450;

    @TempDir
    static Path tmp;

    /** Source name -> image directory whose plan builds as it is. */
    private static final Map<String, Path> SOURCES = new LinkedHashMap<>();

    @BeforeAll
    static void sources() throws IOException {
        for (String[] v : new String[][] {{"counter", "counter.out"}, {"pipetree", "pipetree.out"},
                {"threads", "threads.out"}, {"memhog16", "memhog.out"}, {"python", "python.out"}}) {
            SOURCES.put("criu:" + v[0], CriuVectors.planReady(v[0], v[1]));
        }
        SOURCES.put("jcr:ghost", dumpFixture("ghost", false));
        SOURCES.put("jcr:fifo", dumpFixture("fifo", true));
        SOURCES.put("jcr:shmem", dumpFixture("shmem", true));
        SOURCES.put("jcr:eventfd", dumpFixture("eventfd", false));
        SOURCES.put("jcr:unix_queues", dumpFixture("unix_queues", false));
        SOURCES.put("jcr:pty", dumpFixture("pty", true));
    }

    /** Dumps fixture NAME (with --kill) into the temporary directory; its own files stay where it made them. */
    private static Path dumpFixture(String name, boolean hasChild) throws IOException {
        Path work = Files.createDirectories(tmp.resolve("work-" + name));
        Path dir = tmp.resolve("img-" + name);
        try (LiveProcess p = Fixture.start(name, work.toString())) {
            long child = -1;
            for (String line : p.stdout().split("\n")) {
                if (line.startsWith("CHILD ")) {
                    child = Long.parseLong(line.substring(6).trim());
                }
            }
            assertTrue(!hasChild || child > 0, name + " printed its CHILD line: " + p.stdout());
            new DumpEngine().dump((int) p.pid(), new DumpOptions(dir, true, false), DumpListener.NONE);
            LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(20));
            if (child > 0) {
                LiveProcess.awaitGone(child, Duration.ofSeconds(20));
            }
        }
        return dir;
    }

    @Test
    void mutatedImagesGiveAPlanOrATypedErrorNeverAnInternalOne() throws IOException {
        Path noProc = Files.createDirectories(tmp.resolve("empty-proc"));   // every pid free: pid checks mask nothing
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, Path> src : SOURCES.entrySet()) {
            Path work = workingCopy(src.getValue(), tmp.resolve("m-" + src.getKey().replace(':', '-')));
            PlanBuilder.build(work, noProc);   // the unchanged copy plans: what follows tests the mutations
            List<String> listing = listing(work);
            ImageMutator mutator = ImageMutator.of(work, ImageMutator.RESTORE_KINDS);
            Random rnd = new Random(src.getKey().hashCode() * 31L + 13);
            for (int i = 0; i < PER_SOURCE; i++) {
                ImageMutator.Mutation m = mutator.next(rnd);
                Path file = work.resolve(m.file());
                byte[] original = Files.readAllBytes(file);
                Files.write(file, m.bytes());
                String outcome;
                try {
                    RestorePlan plan = PlanBuilder.build(work, noProc);
                    outcome = "plan";
                    String problem = unsound(plan, work);
                    if (problem != null) {
                        failures.add(src.getKey() + " #" + i + " (" + m.what() + "): accepted, but " + problem);
                    }
                } catch (JcrException e) {
                    outcome = e.kind().name();
                    String problem = judge(e);
                    if (problem != null) {
                        failures.add(src.getKey() + " #" + i + " (" + m.what() + "): " + problem);
                    }
                } catch (Throwable t) {
                    outcome = "INTERNAL";
                    failures.add(src.getKey() + " #" + i + " (" + m.what() + "): internal error " + t);
                } finally {
                    Files.write(file, original);
                }
                outcomes.merge(outcome, 1, Integer::sum);
                total++;
            }
            assertEquals(listing, listing(work), src.getKey() + ": the plan created or removed nothing");
        }
        System.out.println("PlanMutationTest: " + total + " mutations over " + SOURCES.size() + " dumps: " + outcomes);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + total + " mutations went wrong, e.g.:\n"
                    + String.join("\n", failures.subList(0, Math.min(25, failures.size()))));
        }
        assertTrue(total >= 4000, "mutations: " + total);
        assertTrue(outcomes.getOrDefault("plan", 0) > 0 && outcomes.getOrDefault("BAD_IMAGE", 0) > 0,
                "both harmless and refused mutations occur: " + outcomes);
    }

    /** What is wrong with E as a person would see it, or null when it is a proper refusal. */
    static String judge(JcrException e) {
        String msg = e.getMessage();
        if (e.kind() != JcrException.Kind.BAD_IMAGE && e.kind() != JcrException.Kind.UNSUPPORTED
                && e.kind() != JcrException.Kind.CONFLICT) {
            return "a " + e.kind() + " error: " + msg;
        }
        if (msg == null || msg.isBlank()) {
            return "no message";
        }
        for (char c : msg.toCharArray()) {
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                return String.format("a raw control character U+%04x in: %s", (int) c, dev.jcr.Quote.of(msg));
            }
        }
        if (e.kind() == JcrException.Kind.BAD_IMAGE && !msg.contains(".img")) {
            return "a bad image that names no image: " + msg;
        }
        return null;
    }

    /**
     * What an accepted plan promises the restore and does not hold, or null: every page it will read
     * lies inside its pages file, and every shared memory run inside its object (jcr reads those
     * into its own mapping of the object: a run outside it would write into jcr's memory).
     */
    static String unsound(RestorePlan plan, Path dir) throws IOException {
        long page = dev.jcr.image.ProcessMemory.PAGE_SIZE;
        for (ProcessPlan p : plan.processes()) {
            for (dev.jcr.image.PageChain.Source r : p.memory().sources()) {
                Path file = p.memory().pagesFile(r.level());
                if (!within(r.pagesOffset(), r.nrPages() * page, Files.exists(file) ? Files.size(file) : 0)) {
                    return "process " + p.pid() + " reads " + r.nrPages() + " pages at " + r.pagesOffset()
                            + " of " + file.getFileName();
                }
            }
        }
        for (SharedMemoryPlan m : plan.shmem().values()) {
            for (SharedMemoryPlan.Run r : m.runs()) {
                if (r.nrPages() <= 0 || r.nrPages() > m.size() / page || !within(r.offset(), r.nrPages() * page, m.size())
                        || !within(r.pagesOffset(), r.nrPages() * page, pagesSize(dir, m.pagesId()))) {
                    return "shared memory " + m.shmid() + " (" + m.size() + " bytes) gets " + r.nrPages() + " pages at "
                            + r.offset() + " from offset " + r.pagesOffset() + " of pages-" + Integer.toUnsignedString(m.pagesId()) + ".img";
                }
            }
        }
        return null;
    }

    private static boolean within(long offset, long length, long size) {
        return offset >= 0 && length >= 0 && length <= size && offset <= size - length;
    }

    private static long pagesSize(Path dir, int pagesId) throws IOException {
        Path f = dir.resolve("pages-" + Integer.toUnsignedString(pagesId) + ".img");
        return Files.exists(f) ? Files.size(f) : 0;
    }

    /** A copy of DIR's images (pages files linked, they are never changed) in TO. */
    private static Path workingCopy(Path dir, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) {
                Path dst = to.resolve(f.getFileName());
                if (f.getFileName().toString().startsWith("pages-")) {
                    Files.createSymbolicLink(dst, f.toAbsolutePath());
                } else {
                    Files.copy(f, dst);
                }
            }
        }
        return to;
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
