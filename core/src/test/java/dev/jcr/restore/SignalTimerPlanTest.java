package dev.jcr.restore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.jcr.JcrException;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageKind;
import dev.jcr.image.ImageWriter;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.PosixTimerEntry;
import dev.jcr.image.proto.SiginfoEntry;
import dev.jcr.image.proto.SignalQueueEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Pending signals and POSIX timers that cannot be right are refused by the plan, naming the image. */
@ExtendWith(VectorLock.class)
class SignalTimerPlanTest {

    @TempDir
    Path tmp;

    /** A copy of CRIU's counter vector whose core image went through EDIT. */
    private Path counterWithCore(UnaryOperator<CoreEntry.Builder> edit) throws IOException {
        Path src = CriuVectors.prepare("counter", "counter.out");
        Path dst = tmp.resolve("counter");
        Files.createDirectories(dst);
        try (Stream<Path> s = Files.list(src)) {
            for (Path f : s.toList()) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        CoreEntry core = ImageDir.open(dst).readSingle(ImageKind.CORE, 20104, CoreEntry.class);
        try (OutputStream out = Files.newOutputStream(dst.resolve("core-20104.img"));
                ImageWriter w = ImageWriter.start(ImageKind.CORE, "core-20104.img", out)) {
            w.write(edit.apply(core.toBuilder()).build());
        }
        return dst;
    }

    private static JcrException planFails(Path dir) {
        JcrException e = assertThrows(JcrException.class, () -> RestoreEngine.plan(dir));
        assertEquals(JcrException.Kind.BAD_IMAGE, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains("core-20104.img"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        return e;
    }

    @Test
    void timerSignallingAThreadOutsideTheProcessIsRefused() throws IOException {
        Path dir = counterWithCore(c -> {
            c.getTcBuilder().getTimersBuilder().addPosix(PosixTimerEntry.newBuilder().setItId(0).setClockId(1)
                    .setSiSigno(34).setItSigevNotify(4).setNotifyThreadId(99999).setSivalPtr(0).setOverrun(0)
                    .setIsec(0).setInsec(0).setVsec(1).setVnsec(0));
            return c;
        });
        assertTrue(planFails(dir).getMessage().contains("thread 99999"));
    }

    @Test
    void pendingSiginfoOfTheWrongSizeIsRefused() throws IOException {
        Path dir = counterWithCore(c -> {
            c.getThreadCoreBuilder().setSignalsP(SignalQueueEntry.newBuilder()
                    .addSignals(SiginfoEntry.newBuilder().setSiginfo(ByteString.copyFrom(new byte[12]))));
            return c;
        });
        assertTrue(planFails(dir).getMessage().contains("12 bytes"));
    }

    @Test
    void sharedPendingSignalNumberOutOfRangeIsRefused() throws IOException {
        byte[] info = new byte[128];
        info[0] = 65;
        Path dir = counterWithCore(c -> {
            c.getTcBuilder().setSignalsS(SignalQueueEntry.newBuilder()
                    .addSignals(SiginfoEntry.newBuilder().setSiginfo(ByteString.copyFrom(info))));
            return c;
        });
        assertTrue(planFails(dir).getMessage().contains("65"));
    }
}
