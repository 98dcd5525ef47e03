package dev.jcr.app.repl;

import java.nio.file.Path;
import java.util.Map;

/** Where the REPL keeps its history: $XDG_DATA_HOME/jcr/history, else ~/.local/share/jcr/history. */
public final class HistoryLocation {

    private HistoryLocation() {
    }

    public static Path of(Map<String, String> env) {
        String xdg = env.get("XDG_DATA_HOME");
        // the XDG spec: a relative path is invalid and must be ignored
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "jcr", "history");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".local", "share", "jcr", "history");
    }
}
