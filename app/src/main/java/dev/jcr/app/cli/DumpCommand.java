package dev.jcr.app.cli;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.resource.Options;
import dev.jcr.dump.DumpPhase;
import dev.jcr.dump.DumpResult;
import dev.jcr.proc.ProcFs;
import dev.jcr.resource.DriverTable;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jcr dump PID -D DIR}: checkpoints the tree rooted at PID into a new image directory. One
 * summary line on stdout; a progress bar on stderr when that is a terminal. Errors are typed
 * exceptions, which Main turns into one line and a distinct exit code.
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = {"Checkpoint a process tree into CRIU-format images.",
                "%nThe tree rooted at PID is frozen, written to DIR and left running (unless --kill). DIR must not"
                        + " exist: it appears only when complete. A dump that is refused or fails leaves the tree"
                        + " running unharmed and no directory behind. --kill returns once every pid of the tree is"
                        + " free again (a restore can follow at once), or warns after 10 s, naming the parent that"
                        + " has not reaped a killed process."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:dumped", "2:usage error", "3:no such process", "4:permission denied",
                "5:a process of the tree is traced by another process", "6:unsupported resources (all listed)",
                "8:I/O error (bad directory, disk full)"})
public final class DumpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PID", converter = PidConverter.class, description = "the root of the tree to dump")
    long pid;

    @Option(names = {"-D", "--images-dir"}, required = true, paramLabel = "DIR", description = "image directory to create")
    Path dir;

    @Option(names = "--kill", description = "kill the tree after the images are written")
    boolean kill;

    @Option(names = {"-R", "--leave-running"}, description = "leave the tree running (the default)")
    boolean leaveRunning;

    @Option(names = "--shell-job", description = "allow a tree attached to a terminal or session outside it")
    boolean shellJob;

    @Option(names = "--tcp-established", description = "allow established TCP connections whose peer is outside the"
            + " tree (dumped and restored through TCP repair; the peer must keep its end until the restore)")
    boolean tcpEstablished;

    @Option(names = "--tcp-close", description = "dump established TCP connections as closed sockets: they come back"
            + " closed")
    boolean tcpClose;

    @Option(names = "--ext-unix-sk", description = "allow a unix datagram socket connected to a named socket outside"
            + " the tree (connected to that name again at restore)")
    boolean extUnixSk;

    @Option(names = "--ghost-limit", paramLabel = "SIZE", converter = ByteSize.class,
            description = "save deleted files up to SIZE (default 1M, as CRIU; K, M, G suffixes)")
    Long ghostLimit;

    @Option(names = "--progress", negatable = true, description = "progress bar on stderr (default: when stderr is a terminal)")
    Boolean progress;

    @Override
    public Integer call() {
        if (kill && leaveRunning) {
            throw new ParameterException(spec.commandLine(), "--kill and --leave-running exclude each other");
        }
        boolean bar = progress != null ? progress : System.console() != null;
        PrintWriter err = spec.commandLine().getErr();
        DumpListener listener = bar ? new ProgressBar(err) : DumpListener.NONE;
        DumpEngine engine = ghostLimit == null ? new DumpEngine()
                : new DumpEngine(ProcFs.system(), DriverTable.standard(ghostLimit));
        DumpResult r = engine.dump((int) pid, DumpOptions.to(dir).withKill(kill).withShellJob(shellJob)
                .with(Options.TCP_ESTABLISHED, tcpEstablished).with(Options.TCP_CLOSE, tcpClose)
                .with(dev.jcr.resource.Options.EXT_UNIX_SK, extUnixSk), listener);
        PrintWriter out = spec.commandLine().getOut();
        out.println(r.summary());
        out.flush();
        for (String w : r.warnings()) {
            err.println("dump: warning: " + w);
        }
        err.flush();
        return 0;
    }

    /** "writing memory [#########-----------]  45%  1.2/2.6 GiB" redrawn in place on a terminal. */
    static final class ProgressBar implements DumpListener {
        private static final int WIDTH = 30;
        private final PrintWriter err;
        private DumpPhase phase;
        private int lastPercent = -1;

        ProgressBar(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void phase(DumpPhase p) {
            phase = p;
            if (p == DumpPhase.DONE) {
                err.print("\r\033[K");
            } else if (p != DumpPhase.MEMORY) {
                err.print("\r\033[K" + p.words() + "…");
            }
            err.flush();
        }

        @Override
        public void pages(long written, long total) {
            int percent = total == 0 ? 100 : (int) (written * 100 / total);
            if (percent == lastPercent) {
                return;
            }
            lastPercent = percent;
            int filled = percent * WIDTH / 100;
            err.print("\r\033[K" + phase.words() + " [" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                    + String.format("%3d%%  %s/%s", percent, mib(written), mib(total)));
            err.flush();
        }

        private static String mib(long pages) {
            return String.format("%.1f MiB", pages * 4096 / 1048576.0);
        }
    }
}
