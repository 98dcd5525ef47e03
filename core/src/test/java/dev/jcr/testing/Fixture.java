package dev.jcr.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small C test program from {@code src/test/resources/fixtures/NAME.c}, compiled with gcc at test
 * time (cached by content hash under {@code target/fixtures}) and started as a real process.
 *
 * <p>Fixtures follow the ZDTM shape: set up state, print {@code READY <pid>} on stdout, run, and on
 * request verify their state and print {@code PASS …} or {@code FAIL …}.
 *
 * <p>Why not ProcessBuilder's child: the JVM's reaper thread waits for its own children and would
 * swallow ptrace stops. So a fixture is started through {@code /bin/sh}, which backgrounds it and
 * exits: the fixture is reparented to init and jcr can trace it like any other process.
 */
public final class Fixture {

    private static final Path CACHE = Paths.get("target", "fixtures").toAbsolutePath();

    private Fixture() {
    }

    /** Compiles fixture NAME (once per content) and returns the binary's path. Extra gcc flags allowed. */
    public static synchronized Path compile(String name, String... gccFlags) {
        String source = readResource("/fixtures/" + name + ".c");
        try {
            Files.createDirectories(CACHE);
            String hash = sha256(source + String.join(" ", gccFlags)).substring(0, 16);
            Path bin = CACHE.resolve(name + "-" + hash);
            if (Files.isExecutable(bin)) {
                return bin;
            }
            Path src = CACHE.resolve(name + "-" + hash + ".c");
            Files.writeString(src, source);
            List<String> cmd = new ArrayList<>(List.of("gcc", "-O1", "-g", "-o", bin + ".tmp", src.toString()));
            cmd.addAll(List.of(gccFlags));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("gcc failed for fixture " + name + ":\n" + out);
            }
            Files.move(Path.of(bin + ".tmp"), bin);
            return bin;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Compiles and starts fixture NAME with ARGS, waiting until it printed READY. */
    public static LiveProcess start(String name, String... args) {
        return LiveProcess.startDetached(compile(name), List.of(args));
    }

    /** Same, with extra gcc flags (e.g. "-pthread"). */
    public static LiveProcess startWithFlags(String name, List<String> gccFlags, String... args) {
        return LiveProcess.startDetached(compile(name, gccFlags.toArray(String[]::new)), List.of(args));
    }

    static String readResource(String path) {
        try (InputStream in = Fixture.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
