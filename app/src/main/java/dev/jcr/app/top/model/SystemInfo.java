package dev.jcr.app.top.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Host facts for the header: host name, kernel release, user names. */
public final class SystemInfo {

    private SystemInfo() {
    }

    public static String hostname() {
        return firstLine(Path.of("/proc/sys/kernel/hostname"), "?");
    }

    public static String kernel() {
        return firstLine(Path.of("/proc/sys/kernel/osrelease"), "?");
    }

    /** The name of UID in /etc/passwd, or the number when it has none. */
    public static String userName(int uid) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":");
                if (f.length > 2 && f[2].equals(Integer.toString(uid))) {
                    return f[0];
                }
            }
        } catch (IOException e) {
            // fall through: show the number
        }
        return Integer.toString(uid);
    }

    private static String firstLine(Path p, String fallback) {
        try {
            return Files.readString(p).strip();
        } catch (IOException e) {
            return fallback;
        }
    }
}
