package dev.jcr.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The class-data-sharing training run of bin/_launch: loads (without initialising) every class of
 * the application jar, so that the archive the JVM writes at exit (-XX:ArchiveClassesAtExit) holds
 * them all, parsed and verified, for every command: a later `jcr restore`, `jcr ps` or `jcr-top`
 * maps them instead of reading them from the jar. With a second argument DIR it also unpacks JNA's
 * native library there once (JNA would otherwise unpack it into a temporary file on every start;
 * the launcher points jna.boot.library.path at DIR). Not a user command; prints nothing.
 */
public final class CdsTraining {

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 1) {
            unpackJna(Path.of(args[1]));
        }
        ClassLoader loader = CdsTraining.class.getClassLoader();
        try (JarFile jar = new JarFile(Path.of(args[0]).toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                    continue;
                }
                try {
                    Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                } catch (LinkageError | ClassNotFoundException ignored) {
                    // an optional dependency's class (e.g. for another platform): it is not archived
                }
            }
        }
        // Loading is not running: a few real commands also list the JDK classes (regex, java.time,
        // reflection, picocli's annotation proxies) that every command needs.
        PrintWriter sink = new PrintWriter(Writer.nullWriter());
        for (String[] command : new String[][] {{"--version"}, {"--help"}, {"restore", "--help"}, {"ps", "--json"}, {"check", "1"}}) {
            Main.execute(command, sink, sink);
        }
    }

    private static void unpackJna(Path dir) throws IOException {
        String lib = System.mapLibraryName("jnidispatch");
        String arch = System.getProperty("os.arch");
        // JNA's resource prefix for Linux (its Platform.RESOURCE_PREFIX; only dev.jcr.sys touches JNA itself)
        String prefix = "linux-" + (arch.equals("amd64") || arch.equals("x86_64") ? "x86-64" : arch);
        try (InputStream in = CdsTraining.class.getResourceAsStream("/com/sun/jna/" + prefix + "/" + lib)) {
            if (in == null) {
                return; // no bundled library for this platform: JNA finds its own way
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, lib, ".tmp");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, dir.resolve(lib), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
