package dev.jcr.app.repl;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The interactive REPL: a JLine line reader over a {@link Session}, with completion
 * ({@link CommandCompleter}), persistent history, Ctrl-C cancelling the running command (or the
 * line being typed) and Ctrl-D leaving.
 */
public final class Repl {

    private final Session session;
    private final Terminal terminal;
    private final Path historyFile;

    /** HISTORYFILE may be null: no persistent history. */
    public Repl(Session session, Terminal terminal, Path historyFile) {
        this.session = session;
        this.terminal = terminal;
        this.historyFile = historyFile;
    }

    public int run() {
        LineReader reader = reader();
        PrintWriter out = session.out();
        session.history(() -> lines(reader.getHistory()));
        out.println("jcr REPL: 'help' lists the commands, Tab completes, Ctrl-C cancels, Ctrl-D leaves.");
        out.flush();
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> session.cancellation().cancel());
        try {
            while (!session.exitRequested()) {
                String line;
                try {
                    line = reader.readLine(prompt());
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C while typing drops the line, as in a shell
                } catch (EndOfFileException e) {
                    break;
                }
                session.cancellation().reset();
                session.executeLine(line);
                if (session.cancellation().requested()) {
                    out.println("(cancelled)");
                }
                session.cancellation().reset();
            }
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            saveHistory(reader);
        }
        return session.exitRequested() ? session.exitStatus() : 0;
    }

    private String prompt() {
        int status = session.variables().status();
        return status == 0 ? "jcr> " : "jcr [" + status + "]> ";
    }

    private LineReader reader() {
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedQuote(true); // an open quote continues on the next line
        LineReaderBuilder b = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("jcr")
                .parser(parser)
                .completer(new CommandCompleter(session))
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true) // '!' is an ordinary character
                .option(LineReader.Option.HISTORY_IGNORE_SPACE, true)
                .option(LineReader.Option.AUTO_GROUP, true);
        if (historyFile != null) {
            try {
                Files.createDirectories(historyFile.getParent());
                b.variable(LineReader.HISTORY_FILE, historyFile);
            } catch (IOException e) {
                session.err().println("repl: history will not be kept: cannot create " + historyFile.getParent() + ": " + e.getMessage());
            }
        }
        return b.build();
    }

    private void saveHistory(LineReader reader) {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            session.err().println("repl: could not save the history to " + historyFile + ": " + e.getMessage());
        }
    }

    private static List<String> lines(History history) {
        List<String> lines = new ArrayList<>();
        for (History.Entry e : history) {
            lines.add(e.line());
        }
        return lines;
    }
}
