package dev.jcr.restore;

import static dev.jcr.restore.KindImages.dumpAndKill;
import static dev.jcr.restore.KindImages.files;
import static dev.jcr.restore.KindImages.refused;
import static dev.jcr.restore.KindImages.refusedNaming;
import static dev.jcr.restore.KindImages.restoreAndPass;
import static dev.jcr.restore.KindImages.withFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.dump.Crit;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.image.proto.FanotifyFileEntry;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.MarkType;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.InotifyFileEntry;
import dev.jcr.image.proto.InotifyWdEntry;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * inotify and fanotify through real dumps (--kill): the watches in CRIU's format (crit decodes them), corrupt
 * entries refused before anything exists, a watched object gone refused naming it, unread events
 * refused by the dump, and a restore after which the fixture gets its events under the same
 * (non-contiguous) watch descriptors, also for an object renamed while the process was down.
 */
@Timeout(120)
class NotifyRestoreTest {

    private static final int IN_ATTRIB = 0x4;
    private static final int IN_CREATE = 0x100;
    private static final int IN_OPEN = 0x20;
    private static final int IN_CLOSE_WRITE = 0x8;
    private static final int IN_EXCL_UNLINK = 0x04000000;
    private static final int IN_ONESHOT = 0x80000000;

    @TempDir
    Path tmp;

    private LiveProcess startInotify(String name) throws IOException {
        return Fixture.start("inotify", Files.createDirectory(tmp.resolve(name)).toString());
    }

    private static InotifyFileEntry inotify(Path dir) {
        List<FileEntry> fs = files(dir, FdTypes.INOTIFY);
        assertEquals(1, fs.size(), fs.toString());
        return fs.get(0).getIfy();
    }

    /** A copy of DIR whose inotify entry's watch I went through EDIT. */
    private Path withWatch(Path dir, String name, int i, UnaryOperator<InotifyWdEntry> edit) throws IOException {
        return withFiles(tmp, dir, name, f -> f.getType() != FdTypes.INOTIFY ? f : f.toBuilder()
                .setIfy(f.getIfy().toBuilder().setWd(i, edit.apply(f.getIfy().getWd(i)))).build());
    }

    @Test
    void watchesKeepTheirNonContiguousWdsMasksAndObjectsByHandleAndDeliverEventsAfterRestore() throws IOException {
        try (LiveProcess p = startInotify("watched")) {
            Path watched = tmp.resolve("watched");
            Path dir = tmp.resolve("img");
            dumpAndKill(p, dir);

            InotifyFileEntry e = inotify(dir);
            assertEquals(List.of(1, 3, 104, 105), e.getWdList().stream().map(InotifyWdEntry::getWd).toList(),
                    "the wds the program holds, gaps and all");
            assertEquals(List.of(0x2 | IN_ATTRIB, IN_CLOSE_WRITE | IN_ONESHOT, IN_CREATE | IN_EXCL_UNLINK, IN_ATTRIB),
                    e.getWdList().stream().map(InotifyWdEntry::getMask).toList(), "each mask with its flags");
            long dirInode = (Long) Files.getAttribute(watched, "unix:ino");
            assertEquals(dirInode, e.getWd(2).getIIno(), "wd 104 watches the directory");
            assertTrue(e.getWdList().stream().allMatch(w -> w.getFHandle().getBytes() > 0), "every watch has its handle");
            assertEquals(04000, e.getFlags() & 04000, "IN_NONBLOCK");

            Crit.assumeAvailable();
            String json = Crit.decode(dir.resolve("files.img"));
            assertTrue(json.contains("\"INOTIFY\"") && json.contains("\"f_handle\"") && json.contains("\"wd\": 104")
                    && json.contains("\"i_ino\": " + dirInode), json);

            // corrupt copies: refused before anything exists, naming image and field
            refusedNaming(withWatch(dir, "wd0", 1, w -> w.toBuilder().setWd(0).build()), p.pid(), "inotify");
            refusedNaming(withWatch(dir, "wd-twice", 1, w -> w.toBuilder().setWd(1).build()), p.pid(), "wd[1].wd 1");
            refusedNaming(withWatch(dir, "mask", 0, w -> w.toBuilder().setMask(0x40000000 | IN_OPEN).build()), p.pid(),
                    "wd[0].mask 0x40000020 holds unknown bits 0x40000000");
            refusedNaming(withWatch(dir, "no-event", 0, w -> w.toBuilder().setMask(IN_ONESHOT).build()), p.pid(),
                    "wd[0].mask 0x80000000 holds no event");
            refusedNaming(withWatch(dir, "handle", 3, w -> w.toBuilder().setFHandle(w.getFHandle().toBuilder()
                    .setBytes(200)).build()), p.pid(), "wd[3].f_handle.bytes 200");
            refusedNaming(withWatch(dir, "same-object", 1, w -> w.toBuilder().setSDev(e.getWd(0).getSDev())
                    .setIIno(e.getWd(0).getIIno()).build()), p.pid(), "wd[1] watches inode " + e.getWd(0).getIIno()
                    + " a second time");

            // the watch is on the object, found by its handle: renamed while the process is down, still it
            Files.move(watched.resolve("moved"), watched.resolve("renamed"));
            String out = restoreAndPass(p, dir, "PASS inotify");
            assertTrue(out.contains("PASS inotify (renamed)"), out);
        }
    }

    @Test
    void fanotifyGroupsKeepTheirFlagsInodeMarksByHandleIgnoredMasksAndMountMarksAndDeliverEventsAfterRestore()
            throws IOException {
        try (LiveProcess p = Fixture.start("fanotify", Files.createDirectory(tmp.resolve("marked")).toString())) {
            Path dir = tmp.resolve("img");
            dumpAndKill(p, dir);
            List<FileEntry> groups = files(dir, FdTypes.FANOTIFY);
            assertEquals(2, groups.size(), groups.toString());
            FanotifyFileEntry inodes = groups.stream().map(FileEntry::getFfy).filter(g -> g.getMarkCount() == 2).findFirst()
                    .orElseThrow();
            FanotifyFileEntry mount = groups.stream().map(FileEntry::getFfy).filter(g -> g.getMarkCount() == 1).findFirst()
                    .orElseThrow();
            assertEquals(0x8000, inodes.getEvflags() & 0x8000, "event files O_LARGEFILE");
            assertTrue(inodes.getMarkList().stream().allMatch(m -> m.getType() == MarkType.INODE && m.getIe().hasFHandle()));
            assertTrue(inodes.getMarkList().stream().anyMatch(m -> m.getIgnoredMask() == IN_CLOSE_WRITE
                    && m.getMflags() == 0x40 && m.getMask() == 0), "the ignored mask surviving modification");
            assertEquals(MarkType.MOUNT, mount.getMark(0).getType());
            assertEquals("/dev/shm", mount.getMark(0).getMe().getPath());

            Crit.assumeAvailable();
            String json = Crit.decode(dir.resolve("files.img"));
            assertTrue(json.contains("\"FANOTIFY\"") && json.contains("\"/dev/shm\"") && json.contains("\"ie\""), json);

            int id = groups.stream().filter(f -> f.getFfy().getMarkCount() == 1).findFirst().orElseThrow().getId();
            refusedNaming(withFiles(tmp, dir, "mflags", f -> f.getId() != id ? f : f.toBuilder().setFfy(f.getFfy().toBuilder()
                    .setMark(0, f.getFfy().getMark(0).toBuilder().setMflags(0x8000))).build()), p.pid(),
                    "fanotify " + id + " mark[0]: mflags 0x8000");
            refusedNaming(withFiles(tmp, dir, "no-path", f -> f.getId() != id ? f : f.toBuilder().setFfy(f.getFfy().toBuilder()
                    .setMark(0, f.getFfy().getMark(0).toBuilder().clearMe())).build()), p.pid(),
                    "fanotify " + id + " mark[0].me.path is missing");

            restoreAndPass(p, dir, "PASS fanotify");
        }
    }

    @Test
    void aWatchedObjectGoneAtRestoreIsRefusedNamingItAndNothingIsCreated() throws IOException {
        try (LiveProcess p = startInotify("gone")) {
            Path dir = tmp.resolve("img");
            dumpAndKill(p, dir);
            Files.delete(tmp.resolve("gone").resolve("c"));
            long ino = inotify(dir).getWd(1).getIIno();
            refused(dir, p.pid(), JcrException.Kind.CONFLICT, "process " + p.pid() + " fd ", "inotify watch 3 on",
                    "inode " + ino, "no longer exists");
        }
    }

    @Test
    void unreadEventsMakeTheDumpRefuseSayingWhyAndTheProgramRunsOn() throws IOException {
        try (LiveProcess p = startInotify("busy")) {
            Files.createFile(tmp.resolve("busy").resolve("unread")); // IN_CREATE for the directory's watch
            JcrException e = assertThrows(JcrException.class, () -> new DumpEngine()
                    .dump((int) p.pid(), new DumpOptions(tmp.resolve("img"), true, false), DumpListener.NONE));
            assertEquals(JcrException.Kind.UNSUPPORTED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("fd 3: inotify has 32 bytes of unread events"), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("img")), "a refused dump writes nothing");
            assertTrue(p.isAlive(), "the program runs on");
        }
    }
}
