package dev.jcr.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** User names from /etc/passwd, for the USER column and --user; unknown uids print as numbers. */
final class PsUsers {

    private final Map<Long, String> names;

    private PsUsers(Map<Long, String> names) {
        this.names = names;
    }

    static PsUsers load() {
        return parse(read(Path.of("/etc/passwd")));
    }

    static PsUsers parse(String passwd) {
        Map<Long, String> m = new HashMap<>();
        for (String line : passwd.split("\n")) {
            String[] f = line.split(":");
            if (f.length >= 3) {
                try {
                    m.putIfAbsent(Long.parseLong(f[2]), f[0]);
                } catch (NumberFormatException e) {
                    // a malformed line names nobody
                }
            }
        }
        return new PsUsers(m);
    }

    String nameOf(long uid) {
        return names.getOrDefault(uid, Long.toString(uid));
    }

    /** The uid of NAME_OR_UID, or null if it is neither a known name nor a number. */
    Long uidOf(String nameOrUid) {
        if (!nameOrUid.isEmpty() && nameOrUid.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(nameOrUid);
        }
        for (Map.Entry<Long, String> e : names.entrySet()) {
            if (e.getValue().equals(nameOrUid)) {
                return e.getKey();
            }
        }
        return null;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
