package dev.jcr.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The one place a test may decide not to run. Two kinds of reasons, treated differently:
 *
 * <ul>
 *   <li>a missing <b>tool or file</b> (crit, tmux, python3 …): bin/test installs every tool and the
 *       repository holds every file, so under {@code JCR_TEST_STRICT=1} (set by bin/test, hence CI)
 *       this is a <em>failure</em> naming what is missing; elsewhere (a developer's partial run) a skip;
 *   <li>an <b>environment</b> the test cannot arrange (a PID it must reuse held by a stranger, a mount
 *       the machine forbids, a kernel that allows what the test wants refused) or a known gap of
 *       jcr's that a test names: always a skip.
 * </ul>
 *
 * A source check ({@code NoStraySkipsTest}) keeps every other test from calling JUnit's assumptions
 * itself, so no skip escapes this rule.
 */
public final class Need {

    /** The environment variable bin/test sets. */
    public static final String STRICT = "JCR_TEST_STRICT";

    private Need() {
    }

    /** Whether missing tools and files fail instead of skipping. */
    public static boolean strict() {
        return "1".equals(System.getenv(STRICT)) || "1".equals(System.getProperty(STRICT));
    }

    /** The executable EXE exists (WHAT says what provides it, e.g. "crit (Debian package criu)"). */
    public static void tool(Path exe, String what) {
        present(Files.isExecutable(exe), what + " is not installed (" + exe + "; bin/test installs it)");
    }

    /** The file or directory F exists. */
    public static void file(Path f, String what) {
        present(Files.exists(f), what + " is missing (" + f + ")");
    }

    /** A condition of the machine the test cannot arrange; skips (never fails) with WHY when false. */
    public static void environment(boolean ok, String why) {
        Assumptions.assumeTrue(ok, why);
    }

    /** A known gap of jcr the test ran into (kept in the test's list of gaps): a skip, listed by bin/test. */
    public static void knownGap(String why) {
        Assumptions.abort(why);
    }

    private static void present(boolean ok, String why) {
        if (ok) {
            return;
        }
        if (strict()) {
            Assertions.fail(why + " [" + STRICT + "=1: a missing tool or file fails the run]");
        }
        Assumptions.assumeTrue(false, why);
    }
}
