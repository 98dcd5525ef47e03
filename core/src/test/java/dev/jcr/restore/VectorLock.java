package dev.jcr.restore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Serialises test classes that restore CRIU's vectors across JVMs. The vectors must come back at
 * their recorded pids (20104 …), so two builds on one machine (two checkouts, or a build beside a
 * manual run) would collide; a file lock in /tmp makes the second wait instead of failing.
 */
public final class VectorLock implements BeforeAllCallback, AfterAllCallback {

    private static final Path LOCK = Path.of("/tmp/jcr-vectors.lock");
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(VectorLock.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        FileChannel ch = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock();
        context.getStore(NS).put("lock", lock);
        context.getStore(NS).put("channel", ch);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        FileLock lock = context.getStore(NS).remove("lock", FileLock.class);
        FileChannel ch = context.getStore(NS).remove("channel", FileChannel.class);
        if (lock != null) {
            lock.release();
        }
        if (ch != null) {
            ch.close();
        }
    }
}
