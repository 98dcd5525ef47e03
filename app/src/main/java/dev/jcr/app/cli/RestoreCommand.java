package dev.jcr.app.cli;

import dev.jcr.restore.RestoreEngine;
import dev.jcr.restore.RestoreOptions;
import dev.jcr.restore.RestoreResult;
import dev.jcr.restore.RestoreStats;
import dev.jcr.restore.TimeNamespace;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jcr restore -D DIR}: recreates the dumped tree with its original pids. By default jcr
 * waits for the restored root and exits with its status (128+N when signal N killed it), like a
 * shell running it; with --detach it exits as soon as the tree runs.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Restore a process tree from an image directory.",
                "%nThe processes come back with their pids and state, from jcr's images or CRIU's. Without --detach"
                        + " jcr waits for the root and exits with its status (128+N when signal N ended it)."},
        exitCodeListHeading = "%nExit status (besides the root's own):%n",
        exitCodeList = {"0:restored (--detach)", "2:usage error", "6:unsupported (e.g. a terminal without --shell-job)",
                "7:bad image", "8:I/O error", "9:conflict (a pid the tree needs is taken)"})
public final class RestoreCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-D", "--images-dir"}, required = true, paramLabel = "DIR", description = "image directory")
    Path dir;

    @Option(names = {"-d", "--detach"}, description = "exit once the tree runs (it is reparented to init)")
    boolean detach;

    @Option(names = "--pidfile", paramLabel = "FILE", description = "write the root's pid to FILE")
    Path pidfile;

    @Option(names = "--shell-job", description = "the tree belonged to a shell session: restore it into jcr's session")
    boolean shellJob;

    @Option(names = "--timens", paramLabel = "WHEN", defaultValue = "auto",
            converter = TimensConverter.class,
            description = "a time namespace that continues the dump's monotonic/boot clocks: auto (when this"
                    + " machine's clocks are behind the dump's), always or never (default: ${DEFAULT-VALUE})")
    TimeNamespace.Mode timens;

    @Option(names = "--tcp-close", description = "restore established TCP connections as closed sockets (as CRIU's"
            + " option): for a tree whose peers are gone")
    boolean tcpClose;

    @Option(names = "--stats", description = "print where the time went, phase by phase, on stderr")
    boolean stats;

    @Option(names = "--pid-ns", description = "restore into a new PID namespace (jcr's init is its pid 1; every"
            + " process keeps its dumped pid there, whatever this host uses); implies --detach")
    boolean pidNamespace;

    @Override
    public Integer call() throws Exception {
        return SignalsCancel.during(this::restore);
    }

    private Integer restore() {
        long t0 = System.nanoTime();
        boolean detached = detach || pidNamespace;
        RestoreResult r = new RestoreEngine(null).restore(new RestoreOptions(dir, detached, shellJob, pidfile, timens,
                pidNamespace, java.util.Set.of()).with(dev.jcr.resource.Options.TCP_CLOSE, tcpClose));
        if (stats) {
            printStats(r.stats());
        }
        if (detached) {
            spec.commandLine().getOut().printf("restored %d process%s, root %d%s, in %d ms%n", r.pids().size(),
                    r.pids().size() == 1 ? "" : "es", r.rootPid(),
                    r.hostRootPid() != r.rootPid() ? " (pid " + r.hostRootPid() + " on this host, in a new PID namespace)" : "",
                    (System.nanoTime() - t0) / 1_000_000);
            spec.commandLine().getOut().flush();
            return 0;
        }
        int st = r.exitStatus();
        return (st & 0x7f) == 0 ? (st >> 8) & 0xff : 128 + (st & 0x7f);
    }

    private void printStats(RestoreStats s) {
        var err = spec.commandLine().getErr();
        for (var e : s.micros().entrySet()) {
            err.printf("%-14s %9.3f ms%n", e.getKey().name().toLowerCase(java.util.Locale.ROOT), e.getValue() / 1000.0);
        }
        err.printf("%-14s %9.3f ms (%d pages)%n", "total", s.totalMicros() / 1000.0, s.pagesRestored());
        err.flush();
    }

    /** auto | always | never, in any case. */
    static final class TimensConverter implements picocli.CommandLine.ITypeConverter<TimeNamespace.Mode> {
        @Override
        public TimeNamespace.Mode convert(String value) {
            try {
                return TimeNamespace.Mode.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not auto, always or never");
            }
        }
    }
}
