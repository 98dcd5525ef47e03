package dev.jcr.app.cli;

import dev.jcr.pageserver.PageServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jcr page-server --port P -D DIR}: receives image directories over TCP (from
 * {@code jcr dump --page-server} or {@code jcr migrate}) and writes each under DIR as a local dump
 * would, atomically; restores one when a migration asks. Ends after the first session that ends cleanly.
 */
@Command(name = "page-server", mixinStandardHelpOptions = true,
        description = {"Receive images over TCP from jcr dump or jcr migrate.",
                "%nEach directory is written under DIR atomically, as a local dump would write it, and restored"
                        + " when jcr migrate asks. Connections that do not open with jcr's hello (and the token, with"
                        + " --token) are refused before anything is written. The server ends after the first session"
                        + " that says goodbye.",
                "%nExit status: 0 a session ended cleanly, 2 usage, 8 I/O (DIR missing, port taken)."})
public final class PageServerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--port", required = true, paramLabel = "PORT", description = "TCP port to listen on (0: any free one, printed)")
    int port;

    @Option(names = {"-D", "--images-dir"}, required = true, paramLabel = "DIR", description = "where received directories go")
    Path dir;

    @Option(names = "--token", paramLabel = "TOKEN", description = "a secret every session must open with"
            + " (default: $JCR_PAGE_TOKEN, else none)")
    String token;

    @Option(names = "--pid-ns", description = "restore into a new PID namespace (this host is a network + PID namespace pair)")
    boolean pidNamespace;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be 0..65535, not " + port);
        }
        String t = token != null ? token : System.getenv("JCR_PAGE_TOKEN");
        PrintWriter out = spec.commandLine().getOut();
        try (PageServer server = new PageServer(port, dir, t, pidNamespace, out)) {
            out.println("page-server: listening on port " + server.port() + ", writing under " + dir.toAbsolutePath());
            out.flush();
            server.serve();
        }
        return 0;
    }
}
