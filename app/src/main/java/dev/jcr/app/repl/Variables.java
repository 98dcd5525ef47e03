package dev.jcr.app.repl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The variables of one REPL or script session: those set with {@code set NAME VALUE}, the status
 * of the last command ({@code $?}, also {@code $status}), the image directory of the last
 * successful dump ({@code $last_dump}), the script's arguments ({@code $1 … $9}, {@code $#}) and,
 * as a fallback, the environment ({@code $HOME}). An undefined variable is an error, never an empty
 * word: {@code dump $pid} with a forgotten {@code set pid} must not run {@code dump} without a pid.
 */
public final class Variables {

    /** Names a person may set: letters, digits and underscores, not starting with a digit. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    public static final String STATUS = "status";
    public static final String LAST_DUMP = "last_dump";

    private final Map<String, String> values = new TreeMap<>();
    private final Map<String, String> environment;
    private List<String> arguments = List.of();

    public Variables(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        values.put(STATUS, "0");
    }

    public void set(String name, String value) {
        if (!NAME.matcher(name).matches()) {
            throw new ReplUsageException("bad variable name '" + name + "': use letters, digits and _ (not starting with a digit)");
        }
        values.put(name, value);
    }

    public void unset(String name) {
        values.remove(name);
    }

    /** The script's arguments, visible as $1, $2 … and $#. */
    public void arguments(List<String> args) {
        this.arguments = List.copyOf(args);
    }

    public void status(int status) {
        values.put(STATUS, Integer.toString(status));
    }

    public int status() {
        return Integer.parseInt(values.get(STATUS));
    }

    /** The value of NAME, or null when it is not defined anywhere. */
    public String get(String name) {
        if (name.equals("?")) {
            return values.get(STATUS);
        }
        if (name.equals("#")) {
            return Integer.toString(arguments.size());
        }
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(name);
            return i >= 1 && i <= arguments.size() ? arguments.get(i - 1) : null;
        }
        String v = values.get(name);
        return v != null ? v : environment.get(name);
    }

    /** The value of NAME, or a usage error naming it. */
    public String require(String name) {
        String v = get(name);
        if (v == null) {
            if (name.equals(LAST_DUMP)) {
                throw new ReplUsageException("$" + LAST_DUMP + " is not set: no dump has succeeded in this session yet");
            }
            if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                throw new ReplUsageException("$" + name + ": the script got only " + arguments.size() + " argument(s)");
            }
            throw new ReplUsageException("undefined variable $" + name + " (set it with: set " + name + " VALUE)");
        }
        return v;
    }

    /** The variables a person set or jcr maintains (not the environment), sorted by name. */
    public Map<String, String> own() {
        return Collections.unmodifiableMap(values);
    }

    public List<String> arguments() {
        return new ArrayList<>(arguments);
    }
}
