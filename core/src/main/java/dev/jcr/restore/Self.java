package dev.jcr.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** jcr's own identity, read from /proc/self/status (restore never grants more than this). */
final class Self {

    private Self() {
    }

    static int uid() {
        return field("Uid:");
    }

    static int gid() {
        return field("Gid:");
    }

    private static int field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Integer.parseInt(line.substring(name.length()).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status", e);
        }
        throw new IllegalStateException("/proc/self/status has no " + name);
    }
}
