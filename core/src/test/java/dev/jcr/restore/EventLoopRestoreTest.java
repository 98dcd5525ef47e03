package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcr.JcrException;
import dev.jcr.dump.Crit;
import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.dump.UnsupportedTreeException;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ImageWriter;
import dev.jcr.image.proto.EventpollFileEntry;
import dev.jcr.image.proto.EventpollTfdEntry;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.TimerfdEntry;
import dev.jcr.testing.Fixture;
import dev.jcr.testing.LiveProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files of an event loop (eventpoll, signalfd, timerfd) through a real dump (--kill), CRIU's crit
 * on the images, corrupt copies refused before anything exists, and a restore after which the
 * fixture checks itself (its loop wakes, its signals arrive, its timers keep their times).
 */
@Timeout(120)
class EventLoopRestoreTest {

    private static final long TAG = 0x1122334455660000L;
    private static final int EPOLLIN = 1;
    private static final int EPOLLET = 0x80000000;
    private static final int EPOLLONESHOT = 0x40000000;

    @TempDir
    Path tmp;

    private static void dumpAndKill(LiveProcess p, Path dir) {
        new DumpEngine().dump((int) p.pid(), new DumpOptions(dir, true, false), DumpListener.NONE);
        LiveProcess.awaitGone(p.pid(), Duration.ofSeconds(20));
    }

    private static List<FileEntry> files(Path dir, FdTypes type) {
        return ImageDir.open(dir).readAll(ImageKind.FILES, null, FileEntry.class).stream()
                .filter(f -> f.getType() == type).toList();
    }

    /** A copy of DIR whose files.img went through EDIT. */
    private Path withFiles(Path dir, String name, UnaryOperator<FileEntry> edit) throws IOException {
        Path dst = Files.createDirectory(tmp.resolve(name));
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.toList()) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        List<FileEntry> all = ImageDir.open(dst).readAll(ImageKind.FILES, null, FileEntry.class);
        try (OutputStream out = Files.newOutputStream(dst.resolve("files.img"));
                ImageWriter w = ImageWriter.start(ImageKind.FILES, "files.img", out)) {
            for (FileEntry f : all) {
                w.write(edit.apply(f));
            }
        }
        return dst;
    }

    /** The restore of DIR refuses with a bad image naming files.img and FIELD, and creates no process. */
    private static void refusedNaming(Path dir, long pid, String field) {
        JcrException e = assertThrows(JcrException.class,
                () -> new RestoreEngine(null).restore(RestoreOptions.of(dir).detached()));
        assertEquals(JcrException.Kind.BAD_IMAGE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(dir.resolve("files.img").toString()) && e.getMessage().contains(field),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(Files.exists(Path.of("/proc/" + pid)), "nothing was created");
    }

    private static EventpollTfdEntry watch(EventpollFileEntry e, long data) {
        return e.getTfdList().stream().filter(w -> w.getData() == data).findFirst().orElseThrow();
    }

    private static void restoreAndPass(LiveProcess p, Path dir, String pass) {
        RestoreResult r = new RestoreEngine(null).restore(RestoreOptions.of(dir).detached());
        assertEquals((int) p.pid(), r.rootPid());
        p.signal("USR1");
        String out = p.awaitOutput(pass, Duration.ofSeconds(20));
        assertFalse(out.contains("FAIL"), out);
    }

    @Test
    void epollLoopWakesOnItsPipeEventfdTimerfdAndNestedEpollWithTheSameWatchesAfterRestore() throws IOException {
        try (LiveProcess p = Fixture.start("evloop")) {
            Path dir = tmp.resolve("img");
            dumpAndKill(p, dir);

            List<FileEntry> polls = files(dir, FdTypes.EVENTPOLL);
            assertEquals(2, polls.size(), "the loop's instance and the nested one: " + polls);
            EventpollFileEntry outer = polls.stream().map(FileEntry::getEpfd).filter(e -> e.getTfdCount() == 5)
                    .findFirst().orElseThrow(() -> new AssertionError("no instance with 5 watches: " + polls));
            // the kernel lists watches in its own (tree) order
            List<Long> data = outer.getTfdList().stream().map(EventpollTfdEntry::getData).sorted().toList();
            assertEquals(List.of(TAG | 1, TAG | 2, TAG | 3, TAG | 4, TAG | 5), data, "every watch with its data");
            assertEquals(EPOLLIN | EPOLLET, watch(outer, TAG | 2).getEvents() & (EPOLLIN | EPOLLET | EPOLLONESHOT),
                    "the eventfd is edge-triggered");
            assertEquals(EPOLLONESHOT, watch(outer, TAG | 5).getEvents() & (EPOLLIN | EPOLLONESHOT),
                    "the fired one-shot watch is disabled");
            assertTrue(watch(outer, TAG | 1).hasInode() && watch(outer, TAG | 1).hasDev(), "inode and device of the target kept");

            Crit.assumeAvailable();
            Crit.decodeAll(dir);
            String json = Crit.decode(dir.resolve("files.img"));
            assertTrue(json.contains("\"EVENTPOLL\"") && json.contains("\"tfd\"") && json.contains("\"TIMERFD\"")
                    && json.contains("\"events\""), json);

            // corrupt copies are refused before anything is created, naming image and field
            int loopId = polls.stream().filter(f -> f.getEpfd().getTfdCount() == 5).findFirst().orElseThrow().getId();
            refusedNaming(withFiles(dir, "closed-target", f -> f.getId() != loopId ? f : f.toBuilder()
                    .setEpfd(f.getEpfd().toBuilder().setTfd(1, f.getEpfd().getTfd(1).toBuilder().setTfd(987))).build()),
                    p.pid(), "eventpoll " + loopId + ": tfd[1].tfd 987 is not open");
            refusedNaming(withFiles(dir, "bad-events", f -> f.getId() != loopId ? f : f.toBuilder()
                    .setEpfd(f.getEpfd().toBuilder().setTfd(3, f.getEpfd().getTfd(3).toBuilder().setEvents(0x8000))).build()),
                    p.pid(), "eventpoll " + loopId + " tfd[3].events 0x8000");

            restoreAndPass(p, dir, "PASS evloop");
        }
    }

    @Test
    void signalfdKeepsItsMaskAndFlagsAndStillReceivesTheSignals() {
        try (LiveProcess p = Fixture.start("sigfd")) {
            Path dir = tmp.resolve("img");
            dumpAndKill(p, dir);
            List<FileEntry> sfds = files(dir, FdTypes.SIGNALFD);
            assertEquals(1, sfds.size());
            assertEquals((1L << 11) | (1L << 0), sfds.get(0).getSgfd().getSigmask(), "SIGUSR2 and SIGHUP");
            assertEquals(04000, sfds.get(0).getSgfd().getFlags() & 04000, "O_NONBLOCK");
            Crit.assumeAvailable();
            String json = Crit.decode(dir.resolve("files.img"));
            assertTrue(json.contains("\"SIGNALFD\"") && json.contains("\"sigmask\": 2049"), json);
            restoreAndPass(p, dir, "PASS sigfd");
        }
    }

    @Test
    void timerfdsKeepClockFlagsIntervalRemainingTimeAbsoluteDeadlineAndUnreadExpirations() throws IOException {
        try (LiveProcess p = Fixture.start("timerfd")) {
            Path dir = tmp.resolve("img");
            dumpAndKill(p, dir);
            List<TimerfdEntry> ts = files(dir, FdTypes.TIMERFD).stream().map(FileEntry::getTfd).toList();
            assertEquals(7, ts.size());
            assertTrue(ts.stream().anyMatch(t -> t.getIsec() == 7 && t.getInsec() == 250_000_000), "the 7.25 s period");
            assertTrue(ts.stream().anyMatch(t -> t.getSettimeFlags() == 3 && t.getClockid() == 0), "absolute, cancel on set");
            assertTrue(ts.stream().anyMatch(t -> t.getTicks() == 5 && t.getClockid() == 7), "5 unread expirations");
            Crit.assumeAvailable();
            String json = Crit.decode(dir.resolve("files.img"));
            assertTrue(json.contains("\"settime_flags\": 3") && json.contains("\"ticks\": 5")
                    && json.contains("\"insec\": 250000000"), json);

            int periodic = files(dir, FdTypes.TIMERFD).stream().filter(f -> f.getTfd().getIsec() == 7).findFirst()
                    .orElseThrow().getId();
            refusedNaming(withFiles(dir, "bad-nsec", f -> f.getId() != periodic ? f : f.toBuilder()
                    .setTfd(f.getTfd().toBuilder().setInsec(2_000_000_000L)).build()), p.pid(), "tfd.insec");
            refusedNaming(withFiles(dir, "bad-clock", f -> f.getId() != periodic ? f : f.toBuilder()
                    .setTfd(f.getTfd().toBuilder().setClockid(77)).build()), p.pid(), "tfd.clockid 77");

            restoreAndPass(p, dir, "PASS timerfd");
        }
    }

    @Test
    void anEpollWatchWhoseFdNumberWasClosedIsRefusedByCheckAndDumpWithTheReason() {
        try (LiveProcess p = Fixture.start("epollstale")) {
            UnsupportedTreeException e = assertThrows(UnsupportedTreeException.class, () -> new DumpEngine()
                    .dump((int) p.pid(), new DumpOptions(tmp.resolve("img"), true, false), DumpListener.NONE));
            assertTrue(e.getMessage().contains("was closed or reused"), e.getMessage());
            assertFalse(Files.exists(tmp.resolve("img")));
            assertTrue(p.isAlive());
        }
    }
}
