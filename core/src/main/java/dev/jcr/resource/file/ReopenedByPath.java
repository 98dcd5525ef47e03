package dev.jcr.resource.file;

import dev.jcr.image.proto.FdTypes;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileDriver;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.RestoreContext;

/**
 * The restore side shared by the kinds recorded as a REG entry and reopened by their path (regular
 * files, directories, stateless devices): the path must still exist at plan time (a /proc/PID path:
 * name a process of the restore, which creates it), and is reopened with the dumped flags and
 * position ({@link Reopen}).
 */
public interface ReopenedByPath extends FileDriver {

    @Override
    default FdTypes fileType() {
        return FdTypes.REG;
    }

    /** The path must exist; a /proc/PID one must name a process of the restore instead ({@link VirtualFs}). */
    @Override
    default void check(FileEntry file, FdUse use, FileImages images) {
        if (!VirtualFs.check(file, use, images)) {
            Reopen.checkExists(file, use, images);
        }
    }

    @Override
    default int restore(FileEntry file, RestoreContext ctx) {
        return Reopen.open(file, ctx);
    }
}
