package dev.jcr.app.repl;

import dev.jcr.app.ExitCode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The REPL's help: an overview of all commands, and each command's own usage text. */
final class HelpText {

    private HelpText() {
    }

    static void overview(Session session, PrintWriter out) {
        out.println("jcr commands (the same as 'jcr COMMAND' on the shell):");
        Map<String, CommandLine> builtins = session.builtinRegistry();
        Map<String, CommandLine> cli = new java.util.LinkedHashMap<>(session.commandRegistry().getSubcommands());
        cli.keySet().removeIf(name -> builtins.containsKey(name) || name.equals("repl"));
        list(cli, out);
        out.println();
        out.println("REPL commands:");
        list(builtins, out);
        out.println();
        out.println("Variables: set NAME VALUE, then $NAME or ${NAME}; $? (or $status) is the last exit status,");
        out.println("$last_dump the image directory of the last successful dump, $1 … the script's arguments.");
        out.println("Quoting: '…' literal, \"…\" expands variables; # starts a comment.");
        out.println("Keys: Tab completes commands, options, PIDs and paths; Ctrl-C cancels the running command;");
        out.println("Ctrl-D leaves. 'help COMMAND' (or 'COMMAND --help') shows a command's usage.");
    }

    private static void list(Map<String, CommandLine> commands, PrintWriter out) {
        for (Map.Entry<String, CommandLine> e : commands.entrySet()) {
            CommandSpec spec = e.getValue().getCommandSpec();
            if (spec.usageMessage().hidden() || !e.getKey().equals(spec.name())) {
                continue; // aliases are listed with their command
            }
            String names = spec.aliases().length == 0 ? spec.name() : spec.name() + ", " + String.join(", ", spec.aliases());
            out.printf("  %-10s %s%n", names, summary(spec.usageMessage().description()));
        }
    }

    /**
     * The one-line summary of a command: the first string of its picocli description, which by jcr's
     * convention is one whole sentence (the rest are paragraphs of the usage text); "%n" is a line break
     * and "%%" a percent sign in picocli's format text.
     */
    static String summary(String[] description) {
        return description.length == 0 ? "" : description[0].replace("%n", " ").replace("%%", "%").strip();
    }

    /** Prints the usage of COMMAND (and nested subcommands), exactly as 'jcr COMMAND --help' does. */
    static int usageOf(Session session, List<String> command, PrintWriter out, PrintWriter err) {
        String name = command.get(0);
        CommandLine target;
        if (Builtins.NAMES.contains(name)) {
            target = session.builtinRegistry().get(name);
        } else {
            CommandLine fresh = session.commandRegistry().getSubcommands().containsKey(name)
                    ? session.commandRegistry() : null;
            if (fresh == null) {
                err.println("help: unknown command '" + name + "'; type 'help' for the list");
                return ExitCode.USAGE.code;
            }
            target = fresh.getSubcommands().get(name);
        }
        for (String sub : command.subList(1, command.size())) {
            CommandLine next = target.getSubcommands().get(sub);
            if (next == null) {
                err.println("help: '" + String.join(" ", command) + "': " + target.getCommandName() + " has no subcommand '" + sub + "'");
                return ExitCode.USAGE.code;
            }
            target = next;
        }
        StringWriter text = new StringWriter();
        target.usage(new PrintWriter(text, true));
        out.print(text);
        out.flush();
        return 0;
    }
}
