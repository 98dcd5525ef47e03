package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Message;
import dev.jcr.JcrException;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ImageWriter;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * What the tests of one fd kind do with a real dump: dump with --kill, read files.img entries of a
 * type, make a copy with one entry edited (a corrupt image), expect a restore to refuse before it
 * creates anything, restore and wait for the fixture's PASS.
 */
final class KindImages {

    private KindImages() {
    }

    static void dumpAndKill(LiveProcess p, Path dir) {
        new DumpEngine().dump((int) p.pid(), new DumpOptions(dir, true, false), DumpListener.NONE);
        LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(20));
    }

    static List<FileEntry> files(Path dir, FdTypes type) {
        return ImageDir.open(dir).readAll(ImageKind.FILES, null, FileEntry.class).stream()
                .filter(f -> f.getType() == type).toList();
    }

    /** A copy of DIR (as NAME beside it, in TMP) whose files.img went through EDIT. */
    static Path withFiles(Path tmp, Path dir, String name, UnaryOperator<FileEntry> edit) throws IOException {
        return withEntries(tmp, dir, name, ImageKind.FILES, FileEntry.class, edit);
    }

    /** A copy of DIR (as TMP/NAME) whose image KIND (one of fixed name, entries of TYPE) went through EDIT. */
    static <T extends Message> Path withEntries(Path tmp, Path dir, String name, ImageKind kind, Class<T> type,
            UnaryOperator<T> edit) throws IOException {
        Path dst = copy(tmp, dir, name);
        List<T> all = ImageDir.open(dst).readAll(kind, null, type);
        String file = kind.fileName(null);
        try (OutputStream out = Files.newOutputStream(dst.resolve(file)); ImageWriter w = ImageWriter.start(kind, file, out)) {
            for (T e : all) {
                w.write(edit.apply(e));
            }
        }
        return dst;
    }

    /** A plain copy of image directory DIR as TMP/NAME. */
    static Path copy(Path tmp, Path dir, String name) throws IOException {
        Path dst = Files.createDirectory(tmp.resolve(name));
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        return dst;
    }

    /** The restore of DIR refuses with KIND, a one-line message holding every one of WORDS, and creates no process. */
    static JcrException refused(Path dir, long pid, JcrException.Kind kind, String... words) {
        JcrException e = assertThrows(JcrException.class,
                () -> new RestoreEngine(null).restore(RestoreOptions.of(dir).detached()));
        assertEquals(kind, e.kind(), e.getMessage());
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "'" + w + "' in: " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(Path.of("/proc/" + pid)), "nothing was created");
        return e;
    }

    /** A bad image: the restore of DIR names files.img and FIELD, exit 7, before anything exists. */
    static void refusedNaming(Path dir, long pid, String field) {
        refused(dir, pid, JcrException.Kind.BAD_IMAGE, dir.resolve("files.img").toString(), field);
    }

    /** Restores DIR (the tree of P, with P's pid), sends SIGUSR1 and waits for PASS, refusing any FAIL. */
    static String restoreAndPass(LiveProcess p, Path dir, String pass) {
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        assertEquals((int) p.pid(), r.rootPid());
        p.signal("USR1");
        String out = p.awaitOutput(pass, Duration.ofSeconds(20));
        assertFalse(out.contains("FAIL"), out);
        return out;
    }
}
