package dev.jcr.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntSupplier;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * How wide {@code jcr ps} may make a line, decided as procps does: COLUMNS when it is a positive
 * number, else the terminal's width when standard output is a terminal, else no limit (a pipe or a
 * file gets whole command lines).
 */
final class PsWidth {

    /** No limit. */
    static final int UNLIMITED = 0;

    private PsWidth() {
    }

    /** The width for this process: its environment, its fd 1, and the terminal size only when fd 1 is one. */
    static int detect() {
        return decide(System.getenv(), stdoutIsTerminal(), PsWidth::terminalWidth);
    }

    /**
     * The decision itself. {@code terminalWidth} is asked only when COLUMNS does not answer and stdout
     * is a terminal, because asking means opening the terminal.
     */
    static int decide(Map<String, String> env, boolean stdoutIsTerminal, IntSupplier terminalWidth) {
        String columns = env.get("COLUMNS");
        if (columns != null) {
            try {
                int c = Integer.parseInt(columns.trim());
                if (c > 0) {
                    return c;
                }
            } catch (NumberFormatException ignored) {
                // like procps: a COLUMNS that is not a number is ignored
            }
        }
        if (!stdoutIsTerminal) {
            return UNLIMITED;
        }
        int w = terminalWidth.getAsInt();
        return w > 0 ? w : UNLIMITED;
    }

    /**
     * Whether fd 1 is a terminal, from the /proc/self/fd/1 link: one readlink, no JLine terminal (whose
     * creation costs far more than the question).
     */
    static boolean stdoutIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static int terminalWidth() {
        // nativeSignals(false): inside the REPL another terminal owns Ctrl-C and SIGWINCH; asking the
        // size must not replace (and then reset) those handlers
        try (Terminal t = TerminalBuilder.builder().system(true).dumb(true).nativeSignals(false).name("jcr-ps")
                .build()) {
            return t.getWidth();
        } catch (IOException | RuntimeException e) {
            return UNLIMITED; // no usable terminal after all: cut nothing rather than fail a listing
        }
    }
}
