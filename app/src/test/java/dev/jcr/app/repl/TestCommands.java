package dev.jcr.app.repl;

import dev.jcr.JcrException;
import dev.jcr.app.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Main's real command tree plus two small test-only commands, so that the REPL's machinery
 * (registry, completion by label, every, pruning) is exercised before or besides the engines:
 * {@code probe PID} reads a live process from /proc, {@code mkdirs DIR} creates a directory with
 * an inventory.img in it. Neither pretends to be a dump.
 */
final class TestCommands {

    private TestCommands() {
    }

    static CommandLine create(PrintWriter out, PrintWriter err) {
        CommandLine cl = Main.newCommandLine(out, err);
        cl.addSubcommand(new Probe());
        cl.addSubcommand(new MakeDirs());
        cl.setOut(out); // reach the commands added after Main set them
        cl.setErr(err);
        return cl;
    }

    /** A session over the test tree whose output is collected in strings. */
    static final class Captured {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final Session session;

        Captured(Map<String, String> env) {
            session = new Session(TestCommands::create, new PrintWriter(out, true), err, env);
        }

        Captured() {
            this(Map.of("HOME", System.getProperty("user.home")));
        }

        String out() {
            return out.toString();
        }

        String err() {
            return err.toString();
        }
    }

    static final class NoSuchProcess extends JcrException {
        NoSuchProcess(long pid) {
            super("no such process: " + pid);
        }

        @Override
        public Kind kind() {
            return Kind.NO_SUCH_PROCESS;
        }
    }

    @Command(name = "probe", mixinStandardHelpOptions = true, description = "Prints a process's state and name (test only).")
    static final class Probe implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "PID") long pid;

        @Override
        public Integer call() {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                char state = stat.charAt(close + 2);
                if (state == 'Z') {
                    throw new NoSuchProcess(pid);
                }
                spec.commandLine().getOut().println(pid + " " + state + " " + stat.substring(open + 1, close));
                return 0;
            } catch (IOException e) {
                throw new NoSuchProcess(pid);
            }
        }
    }

    @Command(name = "mkdirs", mixinStandardHelpOptions = true, description = "Creates a directory holding an inventory.img (test only).")
    static final class MakeDirs implements Callable<Integer> {
        @Spec CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "DIR") Path dir;

        @Override
        public Integer call() {
            try {
                Files.createDirectories(dir);
                Files.write(dir.resolve("inventory.img"), new byte[] {1, 2, 3});
                spec.commandLine().getOut().println("made " + dir);
                return 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
