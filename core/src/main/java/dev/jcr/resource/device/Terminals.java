package dev.jcr.resource.device;

import dev.jcr.JcrException.Kind;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Linux;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The terminal side of --shell-job. A dump with --shell-job records a terminal fd as a REG entry
 * naming the terminal (/dev/pts/N, /dev/ttyN, /dev/console); a restore does not reopen that path
 * (the old terminal may be gone, or be someone else's now) but gives the fd jcr's own terminal, as
 * CRIU does: the one on jcr's stdin, else stdout, else stderr, opened anew with the dumped flags.
 */
public final class Terminals {

    private static final Pattern TERMINAL = Pattern.compile("/dev/(pts/\\d+|tty[A-Za-z]*\\d*|console)");

    private Terminals() {
    }

    /** True when a files.img path names a terminal. */
    public static boolean isTerminal(String path) {
        return TERMINAL.matcher(path).matches();
    }

    /** jcr's own terminal, opened with FLAGS (access mode and status flags); refused when jcr has none. */
    public static int openOwn(int flags) {
        for (int fd = 0; fd <= 2; fd++) {
            Path link = Path.of("/proc/self/fd/" + fd);
            try {
                if (isTerminal(Files.readSymbolicLink(link).toString())) {
                    return Linux.open(link.toString(), flags, 0);
                }
            } catch (IOException e) {
                // fd not open: try the next
            }
        }
        throw new RestoreException(Kind.UNSUPPORTED, "--shell-job gives the restored tree jcr's terminal, but jcr's"
                + " stdin, stdout and stderr are no terminal: run jcr restore from a terminal");
    }
}
