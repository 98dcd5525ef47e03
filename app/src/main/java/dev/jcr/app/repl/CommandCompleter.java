package dev.jcr.app.repl;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Tab completion built from the commands' own picocli models, so it follows every command and
 * option as they are added: command names (CLI and builtins), subcommands, option names, enum
 * values, and for parameters by their label — PID: live processes with their command line; DIR:
 * directories (image directories marked); FILE/IMAGE/SCRIPT/OUT/JSON (or a Path/File type): files and
 * directories. After {@code every INTERVAL [options]} it completes the command to repeat.
 */
public final class CommandCompleter implements Completer {

    /** Labels of arguments that name a file (jcr-show's decode FILE, -o OUT, encode -i JSON, run SCRIPT). */
    private static final List<String> FILE_LABELS = List.of("FILE", "IMAGE", "SCRIPT", "PATH", "OUT", "JSON");

    private final Session session;
    private final PidCompleter pids;
    private final PathCompleter paths;

    public CommandCompleter(Session session) {
        this(session, Path.of("/proc"), Path.of(System.getProperty("user.home")));
    }

    CommandCompleter(Session session, Path procRoot, Path home) {
        this.session = session;
        this.pids = new PidCompleter(procRoot, ProcessHandle.current().pid());
        this.paths = new PathCompleter(home);
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> before = line.words().subList(0, line.wordIndex());
        String current = line.word().substring(0, Math.min(line.wordCursor(), line.word().length()));
        candidates.addAll(complete(before, current));
    }

    /** Candidates for the word CURRENT (as typed so far) after the complete words BEFORE. */
    public List<Candidate> complete(List<String> before, String current) {
        List<Candidate> out = new ArrayList<>();
        int start = !before.isEmpty() && before.get(0).equals("jcr") ? 1 : 0;
        if (before.size() == start) {
            commandNames(out);
            return out;
        }
        String name = before.get(start);
        CommandLine command = Builtins.NAMES.contains(name)
                ? session.builtinRegistry().get(name)
                : session.commandRegistry().getSubcommands().get(name);
        if (command == null) {
            return out;
        }
        List<String> words = before.subList(start, before.size());
        if (command.getCommandSpec().name().equals("every")) {
            // "every 10s --co<Tab>" is every's own option; "every 10s du<Tab>" starts the command
            List<String> withCurrent = new ArrayList<>(words);
            if (!current.startsWith("-")) {
                withCurrent.add(current);
            }
            int at = EveryCommand.commandStart(withCurrent, command.getCommandSpec());
            if (at >= 0) {
                return complete(words.subList(at, words.size()), current);
            }
        }
        arguments(command, words, current, out);
        return out;
    }

    private void commandNames(List<Candidate> out) {
        Map<String, CommandLine> builtins = session.builtinRegistry();
        Map<String, CommandLine> cli = new java.util.LinkedHashMap<>(session.commandRegistry().getSubcommands());
        cli.keySet().removeIf(name -> builtins.containsKey(name) || name.equals("repl"));
        addCommands(cli, "commands", out);
        addCommands(builtins, "REPL commands", out);
    }

    private static void addCommands(Map<String, CommandLine> commands, String group, List<Candidate> out) {
        for (Map.Entry<String, CommandLine> e : commands.entrySet()) {
            CommandSpec spec = e.getValue().getCommandSpec();
            if (spec.usageMessage().hidden()) {
                continue;
            }
            out.add(new Candidate(e.getKey(), e.getKey(), group, HelpText.summary(spec.usageMessage().description()), null, null, true));
        }
    }

    /** WORDS start with the command's name; completes CURRENT as one of its arguments. */
    private void arguments(CommandLine command, List<String> words, String current, List<Candidate> out) {
        CommandLine c = command;
        int i = 1;
        while (i < words.size() && c.getSubcommands().containsKey(words.get(i))) {
            c = c.getSubcommands().get(words.get(i));
            i++;
        }
        CommandSpec spec = c.getCommandSpec();
        int positional = 0;
        OptionSpec pending = null;
        boolean endOfOptions = false;
        for (; i < words.size(); i++) {
            String w = words.get(i);
            if (pending != null) {
                pending = null;
                continue;
            }
            if (!endOfOptions && w.equals("--")) {
                endOfOptions = true;
                continue;
            }
            if (!endOfOptions && w.startsWith("-") && w.length() > 1) {
                int eq = w.indexOf('=');
                OptionSpec o = spec.findOption(eq > 0 ? w.substring(0, eq) : w);
                if (o != null && eq < 0 && o.arity().min() > 0) {
                    pending = o;
                }
                continue;
            }
            positional++;
        }
        if (pending != null) {
            value(pending, current, out);
            return;
        }
        if (current.startsWith("-") && !endOfOptions) {
            for (OptionSpec o : spec.options()) {
                if (o.hidden()) {
                    continue;
                }
                String d = HelpText.summary(o.description());
                for (String n : o.names()) {
                    out.add(new Candidate(n, n, "options", d.isEmpty() ? null : d, null, null,
                            o.arity().min() == 0));
                }
            }
            return;
        }
        if (positional == 0 && !c.getSubcommands().isEmpty()) {
            addCommands(c.getSubcommands(), "subcommands", out);
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.index().contains(positional) && !p.hidden()) {
                value(p, current, out);
                return;
            }
        }
    }

    /** Candidates for a value of ARG, chosen by its completion candidates, label or type. */
    private void value(ArgSpec arg, String current, List<Candidate> out) {
        Iterable<String> fixed = arg.completionCandidates();
        if (fixed != null) {
            for (String v : fixed) {
                out.add(new Candidate(v));
            }
            return;
        }
        String label = arg.paramLabel() == null ? "" : arg.paramLabel().toUpperCase(Locale.ROOT);
        Class<?> type = arg.isMultiValue() && arg.auxiliaryTypes().length > 0 ? arg.auxiliaryTypes()[0] : arg.type();
        if (label.contains("PID")) {
            out.addAll(pids.candidates());
        } else if (label.equals("COMMAND")) {
            commandNames(out);
        } else if (label.contains("DIR")) {
            out.addAll(paths.candidates(current, false));
        } else if (FILE_LABELS.stream().anyMatch(label::contains) || Path.class.isAssignableFrom(type) || type == File.class) {
            out.addAll(paths.candidates(current, true));
        }
    }
}
