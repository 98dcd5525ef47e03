package dev.jcr.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.app.cli.DumpCommandTest.Run;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import dev.jcr.testing.Need;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every error of dump, restore and show about a path names the path the user gave, once, and says why
 * it failed: never jcr's temporary directory, never the path twice. The failures are real: /proc and
 * /sys, a read-only mount, a full file system (a small tmpfs), a directory jcr may not write.
 */
class PathErrorsTest {

    static LiveProcess loop;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        loop = Fixture.start("loop");
    }

    @AfterAll
    static void stop() {
        loop.close();
    }

    private static Run run(String... args) {
        return DumpCommandTest.run(args);
    }

    /** One line, naming PATH exactly once, with no trace of jcr's temporary name. */
    static void assertNamedOnce(Run r, String path) {
        assertEquals(1, r.err().lines().count(), r.err());
        int first = r.err().indexOf(path);
        assertTrue(first >= 0, "names " + path + ": " + r.err());
        assertEquals(-1, r.err().indexOf(path, first + 1), "names it once: " + r.err());
        assertFalse(r.err().contains("jcr-tmp"), r.err());
    }

    private Run dump(Path dir) {
        return run("dump", Long.toString(loop.pid()), "-D", dir.toString());
    }

    @Test
    void aDumpIntoProcOrSysNamesTheDirectoryOnceAndTheKernelFileSystem() {
        String name = "jcr-test-" + UUID.randomUUID().toString().substring(0, 8);
        Run proc = dump(Path.of("/proc", name));
        assertEquals(8, proc.code(), proc.err());
        assertNamedOnce(proc, "/proc/" + name);
        assertEquals("dump: cannot create image directory /proc/" + name + ": no such file or directory;"
                + " /proc is the kernel's proc file system, which holds no files of its own", proc.err().strip());
        Run sys = dump(Path.of("/sys", name));
        assertEquals(8, sys.code(), sys.err());
        assertNamedOnce(sys, "/sys/" + name);
        assertTrue(sys.err().contains(": operation not permitted; /sys is the kernel's sysfs file system"), sys.err());
        assertTrue(loop.isAlive());
    }

    @Test
    void aFileWhereADirectoryIsNeededIsNamedAsSuch() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Run parent = dump(file.resolve("img"));
        assertEquals(8, parent.code(), parent.err());
        assertEquals("dump: cannot create image directory " + file.resolve("img") + ": " + file + " is not a directory",
                parent.err().strip());
        Run exists = dump(file);
        assertEquals(8, exists.code(), exists.err());
        assertEquals("dump: cannot create image directory " + file + ": already exists", exists.err().strip());
        Run missing = dump(tmp.resolve("no/such/img"));
        assertEquals("dump: cannot create image directory " + tmp.resolve("no/such/img") + ": " + tmp.resolve("no/such")
                + " does not exist", missing.err().strip());

        Run restore = run("restore", "-D", file.toString());
        assertEquals(8, restore.code(), restore.err());
        assertEquals("restore: cannot open image directory " + file + ": not a directory", restore.err().strip());
        Run summary = run("show", "summary", file.toString());
        assertEquals(8, summary.code(), summary.err());
        assertNamedOnce(summary, file.toString());
        Run info = run("show", "info", tmp.toString());
        assertEquals(8, info.code(), info.err());
        assertNamedOnce(info, tmp.toString());
        assertTrue(info.err().strip().endsWith(": is a directory"), info.err());
    }

    @Test
    void aReadOnlyFileSystemIsSaid() throws Exception {
        Path mnt = Files.createDirectories(tmp.resolve("ro"));
        mount(mnt, "ro,size=64k");
        try {
            Path dir = mnt.resolve("img");
            Run r = dump(dir);
            assertEquals(8, r.code(), r.err());
            assertNamedOnce(r, dir.toString());
            assertEquals("dump: cannot create image directory " + dir + ": read-only file system", r.err().strip());
        } finally {
            umount(mnt);
        }
    }

    @Test
    void aFullFileSystemNamesTheUsersDirectoryAndLeavesNothingBehind() throws Exception {
        Path mnt = Files.createDirectories(tmp.resolve("small"));
        mount(mnt, "size=64k");
        try (LiveProcess big = Fixture.start("pattern", "2")) {
            Path dir = mnt.resolve("img");
            Run r = run("dump", Long.toString(big.pid()), "-D", dir.toString());
            assertEquals(8, r.code(), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("dump: cannot write " + dir + "/"), r.err());
            assertTrue(r.err().strip().endsWith(": no space left on device"), r.err());
            assertFalse(r.err().contains("jcr-tmp"), r.err());
            try (Stream<Path> left = Files.list(mnt)) {
                assertEquals(List.of(), left.toList(), "nothing is left on the full file system");
            }
            big.signal("USR1");
            assertTrue(big.awaitOutput("PASS", Duration.ofSeconds(10)).contains("PASS"), "the process runs on unharmed");
        } finally {
            umount(mnt);
        }
    }

    /**
     * jcr as root but without CAP_DAC_OVERRIDE (dropped from the bounding set, in a JVM of its own): a
     * directory with mode 0555 is closed to it, as to any user.
     */
    @Test
    void aDirectoryJcrMayNotWriteIsPermissionDenied() throws Exception {
        Need.tool(Path.of("/usr/bin/setpriv"), "setpriv (util-linux)");
        Need.environment("root".equals(System.getProperty("user.name")), "needs root");
        Path closed = Files.createDirectories(tmp.resolve("closed"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("r-xr-xr-x"));
        Path dir = closed.resolve("img");
        List<String> cmd = List.of("/usr/bin/setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--",
                ProcessHandle.current().info().command().orElse("java"), "-cp", System.getProperty("java.class.path"),
                "dev.jcr.app.Main", "dump", Long.toString(loop.pid()), "-D", dir.toString());
        Process proc = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
        assertEquals(8, proc.exitValue(), "stdout:\n" + out + "\nstderr:\n" + err);
        assertEquals("dump: cannot create image directory " + dir + ": permission denied", err.strip());
        assertTrue(loop.isAlive());
    }

    private static void mount(Path at, String options) throws Exception {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "jcr-test", at.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Need.environment(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "this machine forbids mounting a tmpfs: " + out);
    }

    private static void umount(Path at) throws Exception {
        Process p = new ProcessBuilder("umount", at.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "umount " + at);
    }
}
