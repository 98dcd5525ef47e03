package dev.jcr.app.cli;

import dev.jcr.pageserver.Migration;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jcr migrate PID --to HOST:P}: moves the running tree rooted at PID to the page server at
 * HOST:P (pre-dump rounds while what they copy shrinks, a final frozen round, restore on the receiver);
 * the source is killed only once the receiver's copy runs, and resumes if the receiver fails.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Move a running process tree to a jcr page-server on another host.",
                "%nPre-dump rounds copy the memory of the tree rooted at PID to HOST:PORT while it runs, as long as"
                        + " what they copy keeps shrinking; a final frozen round sends the rest, and the receiver"
                        + " restores the tree. The source is killed only after the receiver reports the tree running;"
                        + " if the receiver fails, the source runs on.",
                "%nExit status: 0 migrated, 2 usage, 3 no such process, 6 unsupported, 7 the receiver refused the"
                        + " images, 8 I/O (connection lost), 9 conflict on the receiver, 130 cancelled (SIGINT, SIGTERM,"
                        + " SIGHUP: the source runs on unharmed)."})
public final class MigrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", description = "root of the tree to move")
    long pid;

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT", description = "the receiving jcr page-server")
    String to;

    @Option(names = "--token", paramLabel = "TOKEN", description = "the page server's secret (default: $JCR_PAGE_TOKEN)")
    String token;

    @Option(names = "--max-pre-dumps", paramLabel = "N", defaultValue = "5",
            description = "at most N pre-dump rounds (default: ${DEFAULT-VALUE})")
    int maxPreDumps;

    @Option(names = "--pid-ns", description = "ask the receiver to restore into a new PID namespace")
    boolean pidNamespace;

    @Override
    public Integer call() throws Exception {
        return SignalsCancel.during(this::migrate);
    }

    private Integer migrate() {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new ParameterException(spec.commandLine(), "PID must be a positive number, not " + pid);
        }
        if (maxPreDumps < 1) {
            throw new ParameterException(spec.commandLine(), "--max-pre-dumps must be at least 1, not " + maxPreDumps);
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Migration.Options o = new Migration.Options(maxPreDumps, Migration.Options.standard().enoughPages(), pidNamespace);
        Migration.Result r = Migration.migrate((int) pid, to, token != null ? token : System.getenv("JCR_PAGE_TOKEN"), o,
                round -> {
                    out.printf("migrate: %s: %d pages copied, %d in parent images, frozen %.3f s%n", round.name(),
                            round.pagesWritten(), round.pagesInParent(), round.frozenMicros() / 1e6);
                    out.flush();
                    round.notes().forEach(n -> err.println("migrate: " + round.name() + ": " + n));
                    err.flush();
                });
        out.println(r.summary());
        out.flush();
        return 0;
    }
}
