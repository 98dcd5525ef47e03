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
                        + " has not reaped a killed process.",
                "%nIterative dumps (CRIU's model): --pre-dump copies memory with the tree running; --prev-images-dir"
                        + " makes a dump that holds only the pages written since that one (the rest marked in_parent)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:dumped", "2:usage error", "3:no such process", "4:permission denied",
                "5:a process of the tree is traced by another process", "6:unsupported resources (all listed)",
                "7:bad parent images (--prev-images-dir)", "8:I/O error (bad directory, disk full)",
                "130:cancelled (SIGINT, SIGTERM, SIGHUP): the tree runs on unharmed, nothing is written"})
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

    @Option(names = "--pre-dump", description = "copy memory only, with the tree running (frozen only to arm write"
            + " tracking and read the memory map); restore the final dump of the chain, not this")
    boolean preDump;

    @Option(names = "--prev-images-dir", paramLabel = "PARENT", description = "the previous (pre-)dump: pages not"
            + " written since are left there (a 'parent' link; relative to DIR, e.g. ../ck1, as in CRIU)")
    String prevImagesDir;

    @Option(names = "--track-mem", description = "leave write tracking armed, so that a later dump with"
            + " --prev-images-dir DIR copies only what changes (implied by --pre-dump)")
    boolean trackMem;

    @Option(names = "--page-server", paramLabel = "HOST:PORT", description = "send the images to a jcr page-server"
            + " instead of the local disk (DIR is then the directory's name there)")
    String pageServer;

    @Option(names = "--token", paramLabel = "TOKEN", description = "the page server's secret (default: $JCR_PAGE_TOKEN)")
    String token;

    @Option(names = "--progress", negatable = true, description = "progress bar on stderr (default: when stderr is a terminal)")
    Boolean progress;

    @Override
    public Integer call() throws Exception {
        return SignalsCancel.during(this::dump);
    }

    private Integer dump() {
        if (kill && leaveRunning) {
            throw new ParameterException(spec.commandLine(), "--kill and --leave-running exclude each other");
        }
        if (kill && preDump) {
            throw new ParameterException(spec.commandLine(), "--pre-dump leaves the tree running: it cannot be combined with --kill");
        }
        boolean bar = progress != null ? progress : System.console() != null;
        PrintWriter err = spec.commandLine().getErr();
        DumpListener listener = bar ? new ProgressBar(err) : DumpListener.NONE;
        DumpEngine engine = ghostLimit == null ? new DumpEngine()
                : new DumpEngine(ProcFs.system(), DriverTable.standard(ghostLimit));
        DumpOptions options = DumpOptions.to(dir).withKill(kill).withShellJob(shellJob)
                .with(Options.TCP_ESTABLISHED, tcpEstablished).with(Options.TCP_CLOSE, tcpClose)
                .with(dev.jcr.resource.Options.EXT_UNIX_SK, extUnixSk).withPreDump(preDump)
                .withParent(prevImagesDir).withTrackMem(trackMem);
        DumpResult r;
        if (pageServer != null) {
            try (dev.jcr.pageserver.PageServerClient server = dev.jcr.pageserver.PageServerClient.connect(pageServer,
                    token != null ? token : System.getenv("JCR_PAGE_TOKEN"))) {
                r = engine.dump((int) pid, options.withSink(server), listener);
            }
        } else {
            r = engine.dump((int) pid, options, listener);
        }
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
