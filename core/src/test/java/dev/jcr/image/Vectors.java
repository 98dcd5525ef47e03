package dev.jcr.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The real CRIU 4.2 test vectors, which are part of the project: stored packed under the test
 * resources {@code criu-4.2/} (reached from core's test classes or, in other modules, from core's
 * test-jar; the layout is described in that directory's README.md) and unpacked once into the
 * working module's {@code target/criu-4.2}, every file checked against {@code SHA256SUMS}. A copy
 * that still matches is reused by the next JVM; one that does not (an older layout, a test that
 * wrote into it) is unpacked again.
 */
public final class Vectors {

    private static final String RESOURCE = "criu-4.2";
    private static final String SUMS = "SHA256SUMS";
    private static Path root;

    private Vectors() {
    }

    /**
     * Unpacks the vectors into DIR (default {@code target/criu-4.2}) and prints its absolute path: how
     * scripts (bench/, bin/screenshots) get them, with {@code java -cp core/target/test-classes}.
     */
    public static void main(String[] args) {
        Path dir = args.length > 0 ? Path.of(args[0]) : Path.of("target", RESOURCE);
        System.out.println(unpack(dir.toAbsolutePath()));
    }

    /** The unpacked vectors (counter/, pipetree/, threads/, memhog16/, python/, bin/, src/). */
    public static synchronized Path root() {
        if (root == null) {
            root = unpack(Path.of("target", RESOURCE).toAbsolutePath());
        }
        return root;
    }

    /** The image directories of the vectors (counter, pipetree, ...), sorted. */
    public static List<Path> dumpDirs() {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(d -> Files.exists(d.resolve("inventory.img"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every protobuf image of every dump (pages files excluded), sorted. */
    public static List<Path> images() {
        return dumpDirs().stream().flatMap(d -> {
            try (Stream<Path> s = Files.list(d)) {
                return s.filter(f -> !f.getFileName().toString().startsWith("pages-")).sorted().toList().stream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    // ------------------------------------------------------------------ unpacking

    private static Path unpack(Path dest) {
        try {
            Path packed = packedRoot();
            Map<String, String> sums = sums(Files.readString(packed.resolve(SUMS)));
            if (matches(dest, sums)) {
                return dest;
            }
            Files.createDirectories(dest.getParent());
            Path tmp = Files.createTempDirectory(dest.getParent(), "." + RESOURCE + "-");
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            copyTree(packed, tmp);
            if (!matches(tmp, sums)) {
                throw new IllegalStateException("the unpacked CRIU vectors in " + tmp + " do not match " + SUMS);
            }
            deleteTree(dest);
            try {
                Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                // another JVM moved its copy in first: use that one if it is whole
                deleteTree(tmp);
                if (!matches(dest, sums)) {
                    throw raced;
                }
            }
            return dest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the CRIU vectors into " + dest, e);
        }
    }

    /** criu-4.2/ on the class path: a directory (core's own tests) or a directory inside core's test-jar. */
    private static Path packedRoot() throws IOException {
        URL url = Vectors.class.getClassLoader().getResource(RESOURCE + "/" + SUMS);
        if (url == null) {
            throw new IllegalStateException(RESOURCE + "/" + SUMS + " is not on the class path: core's test resources"
                    + " (or its test-jar) are missing");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return fs.getPath("/" + RESOURCE);
            }
            return Path.of(uri).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(url.toString(), e);
        }
    }

    private static Map<String, String> sums(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                out.put(line.substring(66), line.substring(0, 64));   // "<64 hex>  <path>", as sha256sum writes
            }
        }
        return out;
    }

    private static boolean matches(Path dir, Map<String, String> sums) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        for (Map.Entry<String, String> e : sums.entrySet()) {
            Path f = dir.resolve(e.getKey());
            if (!Files.isRegularFile(f) || !e.getValue().equals(sha256(f))) {
                return false;
            }
        }
        return true;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(from)) {
            all = s.filter(Files::isRegularFile).toList();
        }
        for (Path f : all) {
            String rel = from.relativize(f).toString();
            if (rel.equals("pack.py") || rel.endsWith(".xorshift")) {
                continue;
            }
            Path out = to.resolve(rel.endsWith(".gz") ? rel.substring(0, rel.length() - 3) : rel);
            Files.createDirectories(out.getParent());
            try (InputStream in = rel.endsWith(".gz") ? new GZIPInputStream(Files.newInputStream(f), 1 << 16)
                    : Files.newInputStream(f); OutputStream o = Files.newOutputStream(out)) {
                in.transferTo(o);
            }
            Path sidecar = f.resolveSibling(out.getFileName() + ".xorshift");
            if (Files.exists(sidecar)) {
                unXor(out, Files.readString(sidecar));
            }
            if (rel.startsWith("bin/")) {
                out.toFile().setExecutable(true, false);
            }
        }
    }

    /** XORs memhog's xorshift64 stream back into its buffer (see README.md and pack.py). */
    private static void unXor(Path file, String spec) throws IOException {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : spec.strip().split(" ")) {
            kv.put(part.substring(0, part.indexOf('=')), part.substring(part.indexOf('=') + 1));
        }
        long offset = Long.parseLong(kv.get("offset"));
        int words = Integer.parseInt(kv.get("words"));
        long x = Long.parseUnsignedLong(kv.get("seed").substring(2), 16);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(words * 8).order(ByteOrder.LITTLE_ENDIAN);
            while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
                // read the whole region
            }
            LongBuffer w = buf.flip().asLongBuffer();
            for (int i = 0; i < words; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                w.put(i, w.get(i) ^ x);
            }
            while (buf.hasRemaining()) {
                ch.write(buf, offset + buf.position());
            }
        }
    }

    private static String sha256(Path f) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(f)) {
                byte[] b = new byte[1 << 16];
                for (int n; (n = in.read(b)) > 0; ) {
                    md.update(b, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
