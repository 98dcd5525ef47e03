package dev.jcr.resource.eventfd;

import dev.jcr.image.proto.EventfdFileEntry;
import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.resource.FileRestorer;
import dev.jcr.sys.Linux;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Restore side of {@link EventfdDriver}: a fresh eventfd in jcr with the dumped flags
 * (EFD_SEMAPHORE, O_NONBLOCK), its counter set by one write of the dumped value, since
 * eventfd(2)'s initial value is only 32 bits wide while the counter is 64.
 */
public final class EventfdRestore implements FileRestorer {

    private static final int EFD_SEMAPHORE = 1;

    @Override
    public FdTypes type() {
        return FdTypes.EVENTFD;
    }

    @Override
    public int open(FileEntry file, Context ctx) {
        EventfdFileEntry e = file.getEfd();
        int fd = ctx.keep(Linux.eventfd(0, e.getFlags() & (EFD_SEMAPHORE | Linux.O_NONBLOCK) | Linux.O_CLOEXEC));
        if (e.getCounter() != 0) {
            // Adding to a zero counter never blocks: any value up to 2^64-2 fits.
            Linux.write(fd, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(e.getCounter()).array());
        }
        return fd;
    }
}
