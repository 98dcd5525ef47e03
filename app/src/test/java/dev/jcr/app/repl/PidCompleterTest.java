package dev.jcr.app.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PID candidates from a /proc tree written in a temporary directory. */
class PidCompleterTest {

    @TempDir
    Path proc;

    private void process(long pid, String comm, String cmdline) throws Exception {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.writeString(dir.resolve("comm"), comm + "\n");
        Files.writeString(dir.resolve("cmdline"), cmdline);
    }

    @Test
    void describesEachProcessByItsCommandLineAndSkipsKernelThreadsAndItself() throws Exception {
        process(1, "init", "/sbin/init\0splash\0");
        process(2, "kthreadd", "");
        process(77, "python3", "python3\0-m\0http.server\0");
        process(78, "worker (1)", "/opt/job/bin/worker\0--queue\0a b\0");
        process(79, "java", "x".repeat(200) + "\0");
        process(99, "jcr", "java\0dev.jcr.app.Main\0");
        Files.createDirectories(proc.resolve("self"));
        Files.createDirectories(proc.resolve("100")); // vanished between listing and reading

        Map<String, String> got = new PidCompleter(proc, 99).candidates().stream()
                .collect(Collectors.toMap(Candidate::value, Candidate::descr));
        assertEquals(List.of("1", "77", "78", "79"), got.keySet().stream().sorted().toList());
        assertEquals("/sbin/init splash", got.get("1"));
        assertEquals("python3 -m http.server", got.get("77"));
        assertEquals("worker (1): /opt/job/bin/worker --queue a b", got.get("78"), "a comm the process set itself is shown too");
        assertEquals("java: " + "x".repeat(53) + "…", got.get("79"), "a long command line is cut, and names its comm");
    }
}
