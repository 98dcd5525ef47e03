package dev.jcr.app.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.app.Main;
import dev.jcr.app.top.TopMain;
import dev.jcr.show.ShowMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help: its one-line description (what `jcr --help`, `jcr show --help` and the REPL's
 * `help` list) is one whole sentence that fits the list's line, and every command answers --help.
 */
class HelpTextsTest {

    /** The list column starts at 11 ("  restore  "); 80 columns leave 69, the REPL's list a little less. */
    private static final int SUMMARY_MAX = 66;

    private static void collect(CommandLine cl, List<CommandLine> out) {
        out.add(cl);
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (!out.contains(sub)) {
                collect(sub, out);
            }
        }
    }

    private static List<CommandLine> everyCommand() {
        List<CommandLine> all = new ArrayList<>();
        PrintWriter sink = new PrintWriter(new StringWriter());
        collect(Main.newCommandLine(sink, sink), all);
        collect(new CommandLine(new ShowMain()), all);
        collect(new CommandLine(new TopMain()), all);
        Session s = Session.standard(sink, sink);
        for (CommandLine b : s.builtinRegistry().values()) {
            if (!all.contains(b)) {
                all.add(b);
            }
        }
        return all;
    }

    @Test
    void everyCommandsOneLineDescriptionIsOneWholeSentenceThatFitsTheList() {
        List<String> bad = new ArrayList<>();
        for (CommandLine cl : everyCommand()) {
            String[] d = cl.getCommandSpec().usageMessage().description();
            String name = cl.getCommandSpec().qualifiedName();
            if (cl.getCommand() instanceof CommandLine.HelpCommand) {
                continue; // picocli's own
            }
            if (d.length == 0) {
                bad.add(name + ": no description");
                continue;
            }
            String first = HelpText.summary(d);
            if (!first.endsWith(".") || first.length() > SUMMARY_MAX || first.substring(0, first.length() - 1).contains(". ")) {
                bad.add(name + ": '" + first + "'");
            }
            for (int i = 1; i < d.length; i++) {
                if (d[i].startsWith("  ")) {
                    continue; // an item of a list (x's views)
                }
                String para = d[i].strip();
                if (!(para.endsWith(".") || para.endsWith(":") || para.endsWith(")"))) {
                    bad.add(name + ": paragraph " + i + " ends mid-sentence: '" + para + "'");
                }
            }
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void theCommandListsHoldOneLinePerCommand() {
        for (String[] args : new String[][] {{"--help"}, {"show", "--help"}}) {
            StringWriter out = new StringWriter();
            assertEquals(0, Main.execute(args, new PrintWriter(out), new PrintWriter(new StringWriter())));
            List<String> lines = out.toString().lines().toList();
            List<String> list = lines.subList(lines.indexOf("Commands:") + 1, lines.size());
            assertFalse(list.isEmpty(), out.toString());
            for (String l : list) {
                assertTrue(l.matches("  [a-z][a-z-]* +[A-Z].*\\."), "a command per line, its sentence whole:\n" + out);
            }
        }
    }

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        for (CommandLine cl : everyCommand()) {
            String name = cl.getCommandSpec().qualifiedName();
            if (cl.getCommandSpec().findOption("--help") == null || cl.getCommand() instanceof CommandLine.HelpCommand) {
                continue; // the roots' help is above; picocli's help command has none
            }
            StringWriter out = new StringWriter();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(new StringWriter()));
            assertEquals(0, cl.execute("--help"), name);
            assertTrue(out.toString().startsWith("Usage: "), name + ":\n" + out);
        }
        StringWriter out = new StringWriter();
        assertEquals(0, Main.execute(new String[] {"every", "--help"}, new PrintWriter(out), new PrintWriter(new StringWriter())));
        assertTrue(out.toString().startsWith("Usage: jcr every "), out.toString());
    }

    @Test
    void theReplsOverviewShowsEachCommandsSentenceOnly() {
        StringWriter out = new StringWriter();
        HelpText.overview(Session.standard(new PrintWriter(out), new StringWriter()), new PrintWriter(out, true));
        for (Map.Entry<String, String> e : Map.of("help", "List the commands, or show how to use one.",
                "check", "Tell whether a process tree can be checkpointed, and why not.").entrySet()) {
            assertTrue(out.toString().lines().anyMatch(l -> l.matches("  " + e.getKey() + " +" + java.util.regex.Pattern.quote(e.getValue()))),
                    out.toString());
        }
    }
}
