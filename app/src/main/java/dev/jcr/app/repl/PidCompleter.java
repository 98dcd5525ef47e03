package dev.jcr.app.repl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;

/**
 * PIDs of the running processes, each shown with its command line, read from /proc (root
 * injectable). Kernel threads (no command line) and jcr itself are left out: neither can be
 * checkpointed, and they would drown the list.
 */
final class PidCompleter {

    private static final int MAX_DESCRIPTION = 60;

    private final Path procRoot;
    private final long self;

    PidCompleter(Path procRoot, long self) {
        this.procRoot = procRoot;
        this.self = self;
    }

    List<Candidate> candidates() {
        List<Candidate> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(procRoot, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path dir : dirs) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (pid == self) {
                    continue;
                }
                String command = commandOf(dir);
                if (command == null) {
                    continue;
                }
                String value = Long.toString(pid);
                out.add(new Candidate(value, value, "processes", command, null, null, true,
                        (int) Math.min(pid, Integer.MAX_VALUE)));
            }
        } catch (IOException e) {
            // no /proc: nothing to offer
        }
        return out;
    }

    /** "comm: arguments", or null for a kernel thread or a process that vanished meanwhile. */
    static String commandOf(Path procDir) {
        try {
            byte[] raw = Files.readAllBytes(procDir.resolve("cmdline"));
            if (raw.length == 0) {
                return null;
            }
            String cmdline = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
            String comm = Files.readString(procDir.resolve("comm")).strip();
            String text = cmdline.startsWith(comm) || cmdline.contains("/" + comm) ? cmdline : comm + ": " + cmdline;
            return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION - 1) + "…";
        } catch (IOException e) {
            return null;
        }
    }
}
