package dev.jcr.app.repl;

import dev.jcr.JcrException;
import dev.jcr.app.ExitCode;
import dev.jcr.app.Main;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Commands that exist only inside a session because they act on it: variables, output of words,
 * waiting, periodic runs, help, history, leaving. They are picocli commands like the CLI's, so
 * they get the same usage text, option parsing, completion and error handling.
 */
final class Builtins {

    private static final List<Class<?>> COMMANDS = List.of(
            SetVariable.class, Unset.class, Echo.class, Sleep.class, EveryCommand.class, Help.class, History.class, Exit.class);

    /** Names (and aliases) of the builtins; they take precedence over CLI commands of the same name. */
    static final java.util.Set<String> NAMES = java.util.Set.of("set", "unset", "echo", "sleep", "every", "help", "history", "exit", "quit");

    private Builtins() {
    }

    /**
     * A fresh command line per builtin, keyed by name and alias, in listing order. Each is a root
     * of its own (not a subcommand of a container), so its usage reads "Usage: every …".
     */
    static Map<String, CommandLine> commandLines(Session session, PrintWriter out, PrintWriter err) {
        Map<String, CommandLine> all = new LinkedHashMap<>();
        SessionFactory factory = new SessionFactory(session);
        for (Class<?> c : COMMANDS) {
            CommandLine cl = configure(new CommandLine(c, factory), out, err);
            all.put(cl.getCommandName(), cl);
            for (String alias : cl.getCommandSpec().aliases()) {
                all.put(alias, cl);
            }
        }
        return all;
    }

    /** Runs builtin ARGV[0] with the rest of ARGV as its arguments. */
    static int execute(Session session, String[] argv, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLines(session, out, err).get(argv[0]);
        return cl.execute(Arrays.copyOfRange(argv, 1, argv.length));
    }

    private static CommandLine configure(CommandLine cl, PrintWriter out, PrintWriter err) {
        // -h/--help like every jcr command, but no --version: builtins have none of their own (every, also a
        // command of the shell, has both already)
        if (cl.getCommandSpec().findOption("--help") == null) {
            cl.getCommandSpec().addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Main.report(commandLine.getCommandName(), ex).forEach(commandLine.getErr()::println);
            commandLine.getErr().flush();
            return ex instanceof JcrException j ? ExitCode.of(j.kind()).code : ExitCode.INTERNAL.code;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandName() + ": " + ex.getMessage());
            c.getErr().println("Try 'help " + c.getCommandName() + "'.");
            return ExitCode.USAGE.code;
        });
        return cl;
    }

    /** Lets builtins receive the session in their constructor. */
    private record SessionFactory(Session session) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            for (Constructor<?> c : cls.getDeclaredConstructors()) {
                if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Session.class) {
                    c.setAccessible(true);
                    return cls.cast(c.newInstance(session));
                }
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }

    @Command(name = "set",
            description = {"Set a variable, or list them.",
                    "%nA variable is used later as $NAME or $${NAME}; without arguments, set lists the variables. jcr"
                            + " keeps $? (also $status: the last command's exit status) and $last_dump (the image"
                            + " directory of the last successful dump)."})
    static final class SetVariable implements Callable<Integer> {
        private final Session session;
        @Spec CommandSpec spec;
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME") String name;
        @Parameters(index = "1..*", paramLabel = "VALUE", description = "several words are joined with one blank") List<String> value;

        SetVariable(Session session) {
            this.session = session;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (name == null) {
                for (Map.Entry<String, String> e : session.variables().own().entrySet()) {
                    out.println(e.getKey() + "=" + e.getValue());
                }
                List<String> args = session.variables().arguments();
                for (int i = 0; i < args.size(); i++) {
                    out.println((i + 1) + "=" + args.get(i));
                }
                return 0;
            }
            if (value == null || value.isEmpty()) {
                throw new ReplUsageException("missing VALUE: set " + name + " VALUE");
            }
            if (name.equals(Variables.STATUS)) {
                throw new ReplUsageException("$status is kept by jcr; it cannot be set");
            }
            session.variables().set(name, String.join(" ", value));
            return 0;
        }
    }

    @Command(name = "unset", description = "Forget variables.")
    static final class Unset implements Callable<Integer> {
        private final Session session;
        @Parameters(arity = "1..*", paramLabel = "NAME") List<String> names;

        Unset(Session session) {
            this.session = session;
        }

        @Override
        public Integer call() {
            names.forEach(session.variables()::unset);
            return 0;
        }
    }

    @Command(name = "echo", description = {"Print words.", "%nThe arguments, after variable expansion, separated by blanks."})
    static final class Echo implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "WORD") List<String> words;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(words == null ? "" : String.join(" ", words));
            return 0;
        }
    }

    @Command(name = "sleep", description = {"Wait for a while.", "%nFor example: sleep 2s. Ctrl-C ends the wait."})
    static final class Sleep implements Callable<Integer> {
        @Parameters(paramLabel = "INTERVAL", converter = Interval.Converter.class, description = "e.g. 500ms, 10s, 10m, 1h")
        Interval interval;

        @Override
        public Integer call() {
            try {
                Thread.sleep(interval.duration().toMillis());
                return 0;
            } catch (InterruptedException e) {
                return Session.CANCELLED;
            }
        }
    }

    @Command(name = "help", description = {"List the commands, or show how to use one.",
            "%n'help COMMAND' prints the same text as 'jcr COMMAND --help'."})
    static final class Help implements Callable<Integer> {
        private final Session session;
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "COMMAND", description = "a command, or a command and its subcommand (help show decode)")
        List<String> command;

        Help(Session session) {
            this.session = session;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (command == null || command.isEmpty()) {
                HelpText.overview(session, out);
                return 0;
            }
            return HelpText.usageOf(session, command, out, spec.commandLine().getErr());
        }
    }

    @Command(name = "history", description = {"List the lines typed in the REPL.", "%nThe history is kept across sessions."})
    static final class History implements Callable<Integer> {
        private final Session session;
        @Spec CommandSpec spec;
        @Option(names = {"-n"}, paramLabel = "N", description = "only the last N lines") Integer last;

        History(Session session) {
            this.session = session;
        }

        @Override
        public Integer call() {
            List<String> lines = session.history().map(Session.HistorySource::lines)
                    .orElseThrow(() -> new ReplUsageException("there is no history outside the interactive REPL"));
            int from = last == null ? 0 : Math.max(0, lines.size() - last);
            for (int i = from; i < lines.size(); i++) {
                spec.commandLine().getOut().printf("%5d  %s%n", i + 1, lines.get(i));
            }
            return 0;
        }
    }

    @Command(name = "exit", aliases = "quit",
            description = {"Leave the REPL or end the script.", "%nThe exit status is STATUS (default: the last command's)."})
    static final class Exit implements Callable<Integer> {
        private final Session session;
        @Parameters(arity = "0..1", paramLabel = "STATUS") Integer status;

        Exit(Session session) {
            this.session = session;
        }

        @Override
        public Integer call() {
            int s = status != null ? status : session.variables().status();
            session.requestExit(s);
            return s;
        }
    }
}
