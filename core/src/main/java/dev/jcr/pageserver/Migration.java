package dev.jcr.pageserver;

import dev.jcr.JcrException;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.dump.DumpResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Moves a running process tree to another host's page server (see {@link PageServer}): pre-dump
 * rounds copy its memory while it runs, each only what was written since the previous one, for as long
 * as that keeps shrinking; then a final round freezes the tree, sends what changed and the rest of its
 * state, and asks the receiver to restore it. The source tree stays frozen until the receiver says its
 * copy runs; only then is it killed. If the receiver fails, the source resumes as if nothing happened.
 */
public final class Migration {

    /**
     * How to migrate.
     *
     * @param maxPreDumps   most pre-dump rounds (at least 1)
     * @param enoughPages   stop pre-dumping once a round copies no more than this many pages
     * @param pidNamespace  ask the receiver to restore into a new PID namespace of its own
     */
    public record Options(int maxPreDumps, long enoughPages, boolean pidNamespace) {
        public static Options standard() {
            return new Options(5, 256, false);
        }

        public Options withPidNamespace(boolean p) {
            return new Options(maxPreDumps, enoughPages, p);
        }
    }

    /** One round: its directory on the receiver, whether it was a pre-dump, pages copied and left to the parent, frozen time. */
    public record Round(String name, boolean preDump, long pagesWritten, long pagesInParent, long frozenMicros,
                        List<String> notes) {
    }

    /**
     * A migration that succeeded: the rounds, the restored root (as dumped, and on the receiver's host),
     * and the downtime: from the final freeze to the receiver's report that the tree runs.
     */
    public record Result(int pid, List<Round> rounds, PageServerClient.Restored restored, long downtimeMicros) {
        public String summary() {
            long pre = rounds.stream().filter(Round::preDump).count();
            Round fin = rounds.get(rounds.size() - 1);
            return String.format("migrated %d after %d pre-dump round%s: final round %d pages (+ %d in parent images),"
                    + " downtime %.3f s; running there as pid %d (host pid %d); the source is gone",
                    pid, pre, pre == 1 ? "" : "s", fin.pagesWritten(), fin.pagesInParent(), downtimeMicros / 1e6,
                    restored.root(), restored.hostRoot());
        }
    }

    private Migration() {
    }

    /** Migrates the tree rooted at PID to the page server at TO; ROUND gets each round as it ends. */
    public static Result migrate(int pid, String to, String token, Options options, Consumer<Round> round) {
        DumpEngine engine = new DumpEngine();
        List<Round> rounds = new ArrayList<>();
        PageServerClient.Restored[] restored = new PageServerClient.Restored[1];
        try (PageServerClient server = PageServerClient.connect(to, token)) {
            DumpResult last = engine.dump(pid, DumpOptions.to(Path.of("pre-1")).withPreDump(true).withSink(server),
                    DumpListener.NONE);
            rounds.add(round(last, "pre-1", round));
            String lastName = "pre-1";
            long previous = Long.MAX_VALUE;
            for (int k = 2; k <= options.maxPreDumps() && last.stats().pagesWritten() > options.enoughPages()
                    && last.stats().pagesWritten() < previous; k++) {
                previous = last.stats().pagesWritten();
                String name = "pre-" + k;
                last = engine.dump(pid, DumpOptions.to(Path.of(name)).withPreDump(true).withSink(server)
                        .withParent("../" + lastName, last.link()), DumpListener.NONE);
                rounds.add(round(last, name, round));
                lastName = name;
            }
            long[] downtime = new long[1];
            DumpResult fin = engine.dump(pid, DumpOptions.to(Path.of("final")).withSink(server)
                    .withParent("../" + lastName, last.link()).withHandoff((r, frozenSince) -> {
                        restored[0] = server.restore("final", options.pidNamespace());
                        downtime[0] = (System.nanoTime() - frozenSince) / 1000;
                        return true; // the receiver's tree runs: the source goes
                    }), DumpListener.NONE);
            rounds.add(round(fin, "final", round));
            return new Result(pid, List.copyOf(rounds), restored[0], downtime[0]);
        } catch (JcrException e) {
            if (restored[0] != null) {
                throw new PageServerException(e.kind(), "migration of " + pid + ": the tree runs on the receiver as pid "
                        + restored[0].root() + ", but the session did not end cleanly: " + e.getMessage(), e);
            }
            throw new PageServerException(e.kind(), "migration of " + pid + " failed"
                    + (rounds.isEmpty() ? "" : " after " + rounds.size() + " round" + (rounds.size() == 1 ? "" : "s"))
                    + "; the source runs on: " + e.getMessage(), e);
        }
    }

    private static Round round(DumpResult r, String name, Consumer<Round> out) {
        Round x = new Round(name, r.preDump(), r.stats().pagesWritten(), r.stats().pagesInParent(),
                r.stats().frozenMicros(), r.warnings());
        out.accept(x);
        return x;
    }

}
