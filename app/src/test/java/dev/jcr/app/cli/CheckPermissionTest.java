package dev.jcr.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import dev.jcr.testing.Need;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Missing privileges, for real: jcr runs as user nobody (setpriv) against a root-owned fixture, so
 * the kernel refuses to show its fds. The classpath is copied where nobody can read it.
 */
class CheckPermissionTest {

    @TempDir
    Path tmp;

    @Test
    void unprivilegedCheckOfRootProcessExitsFourWithOneLine() throws Exception {
        Need.tool(Path.of("/usr/bin/setpriv"), "setpriv (util-linux)");
        Need.environment("root".equals(System.getProperty("user.name")), "needs to run as root to drop to nobody");
        try (LiveProcess p = Fixture.start("loop")) {
            List<String> cmd = List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                    ProcessHandle.current().info().command().orElse("java"), "-XX:-UsePerfData", "-cp", readableClasspath(),
                    "dev.jcr.app.Main", "check", Long.toString(p.pid()));
            Process proc = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
            assertEquals(4, proc.exitValue(), "stdout:\n" + out + "\nstderr:\n" + err);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("check: permission denied reading /proc/" + p.pid() + "/"), err);
        }
    }

    /**
     * A jcr that already runs as root must not be told to "run jcr as root": here it is root without
     * CAP_SYS_PTRACE (dropped from the bounding set), so the kernel hides a fixture holding capabilities
     * jcr lacks, and the message says exactly that.
     */
    @Test
    void rootWithoutPtraceCapabilityIsToldWhatIsMissingNotToRunAsRoot() throws Exception {
        Need.tool(Path.of("/usr/bin/setpriv"), "setpriv (util-linux)");
        Need.environment("root".equals(System.getProperty("user.name")), "needs root");
        try (LiveProcess p = Fixture.start("loop")) {
            List<String> cmd = List.of("/usr/bin/setpriv", "--bounding-set", "-sys_ptrace", "--",
                    ProcessHandle.current().info().command().orElse("java"), "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
                    "dev.jcr.app.Main", "check", Long.toString(p.pid()));
            Process proc = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
            Need.environment(proc.exitValue() != 0, "the kernel let jcr read the fixture without CAP_SYS_PTRACE");
            assertEquals(4, proc.exitValue(), "stdout:\n" + out + "\nstderr:\n" + err);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains("jcr runs as root but without CAP_SYS_PTRACE"), err);
            assertTrue(err.contains("the process holds capabilities jcr lacks: CAP_SYS_PTRACE"), err);
            assertTrue(!err.contains("run jcr as root"), err);
        }
    }

    private String readableClasspath() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(tmp.resolve("cp"));
        List<String> entries = new ArrayList<>();
        int i = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(e);
            if (!Files.exists(src)) {
                continue;
            }
            Path dst = dir.resolve((i++) + (Files.isDirectory(src) ? "" : ".jar"));
            if (Files.isDirectory(src)) {
                try (Stream<Path> walk = Files.walk(src)) {
                    for (Path s : (Iterable<Path>) walk::iterator) {
                        Path d = dst.resolve(src.relativize(s).toString());
                        if (Files.isDirectory(s)) {
                            Files.createDirectories(d);
                        } else {
                            Files.copy(s, d, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(src, dst);
            }
            entries.add(dst.toString());
        }
        new ProcessBuilder("chmod", "-R", "a+rX", tmp.toString()).start().waitFor();
        return String.join(File.pathSeparator, entries);
    }
}
