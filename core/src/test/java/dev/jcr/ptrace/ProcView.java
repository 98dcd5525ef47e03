package dev.jcr.ptrace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test-side peeks into /proc, independent of the code under test. */
final class ProcView {
    private ProcView() {
    }

    static char state(long pid, long tid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/task/" + tid + "/stat"));
            return s.charAt(s.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return 'X';
        }
    }

    static int tracerPid(long tid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + tid + "/status"))) {
                if (line.startsWith("TracerPid:")) {
                    return Integer.parseInt(line.substring(10).trim());
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    static List<Integer> tasks(long pid) {
        List<Integer> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/" + pid + "/task"))) {
            s.forEach(p -> out.add(Integer.parseInt(p.getFileName().toString())));
        } catch (IOException e) {
            // gone
        }
        return out;
    }

    static List<Integer> children(long pid) {
        List<Integer> out = new ArrayList<>();
        for (int tid : tasks(pid)) {
            try {
                for (String c : Files.readString(Path.of("/proc/" + pid + "/task/" + tid + "/children")).trim()
                        .split("\\s+")) {
                    if (!c.isEmpty()) {
                        out.add(Integer.parseInt(c));
                    }
                }
            } catch (IOException e) {
                // gone
            }
        }
        return out;
    }

    static String maps(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/maps"));
        } catch (IOException e) {
            return "";
        }
    }

    static int ticks(String out) {
        int n = 0;
        for (String line : out.split("\n")) {
            if (line.startsWith("TICK ")) {
                n = Integer.parseInt(line.substring(5).trim());
            }
        }
        return n;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
