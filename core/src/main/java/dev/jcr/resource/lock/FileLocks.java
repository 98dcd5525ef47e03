package dev.jcr.resource.lock;

import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FileLockEntry;
import dev.jcr.proc.FileLock;
import dev.jcr.resource.FileImages;
import dev.jcr.resource.InProcess;
import dev.jcr.restore.RestoreException;
import dev.jcr.sys.Errno;
import dev.jcr.ptrace.RemoteSyscallException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The restore of filelocks.img (CRIU's file_lock_entry: flag FL_POSIX 1, FL_FLOCK 2, FL_OFD 4, FL_LEASE 8;
 * type F_RDLCK 0 / F_WRLCK 1, with LEASE_BREAKING 4 for a lease being broken). Checked at plan time;
 * each lock is then taken by its holder itself, by remote syscall on its own fd, once its fds are in
 * place: a POSIX lock belongs to the process that sets it, so only the holder can. Never blocking: a
 * lock someone else took since the dump fails the restore (CONFLICT) instead of waiting for it.
 */
public final class FileLocks {

    public static final int FL_POSIX = 1;
    public static final int FL_FLOCK = 2;
    public static final int FL_OFD = 4;
    public static final int FL_LEASE = 8;
    public static final int LEASE_BREAKING = 4;

    private static final int SYS_FCNTL = 72;
    private static final int SYS_FLOCK = 73;
    private static final int F_SETLK = 6;
    private static final int F_OFD_SETLK = 37;
    private static final int F_SETLEASE = 1024;
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;

    private FileLocks() {
    }

    /** CRIU's flag for a lock of KIND. */
    static int flag(FileLock.Kind kind) {
        return switch (kind) {
            case POSIX -> FL_POSIX;
            case FLOCK -> FL_FLOCK;
            case OFD -> FL_OFD;
            case LEASE -> FL_LEASE;
            default -> throw new IllegalArgumentException(kind + " locks have no image form");
        };
    }

    /**
     * Every lock of the images, checked (read once per restore): a known kind and type, a holder that
     * is a process of the tree with that fd, a sane range. A lease being broken is refused.
     */
    public static List<FileLockEntry> check(FileImages images) {
        return images.derived(FileLocks.class, () -> {
            List<FileLockEntry> out = new ArrayList<>();
            for (ImageEntry ie : images.read(ImageKind.FILE_LOCKS, null)) {
                FileLockEntry e = ie.as(FileLockEntry.class);
                String which = "entry " + ie.index() + " (process " + e.getPid() + ", fd " + e.getFd() + ")";
                int flag = e.getFlag();
                if (flag != FL_POSIX && flag != FL_FLOCK && flag != FL_OFD && flag != FL_LEASE) {
                    throw images.bad(ImageKind.FILE_LOCKS, null, which + ": flag " + flag + " is no lock kind");
                }
                String refusal = refusal(e);
                if (refusal != null) {
                    throw new RestoreException(Kind.UNSUPPORTED, "process " + e.getPid() + " fd " + e.getFd() + ": " + refusal);
                }
                if (e.getType() != 0 && e.getType() != 1) {
                    throw images.bad(ImageKind.FILE_LOCKS, null, which + ": type " + e.getType() + " is neither read (0) nor write (1)");
                }
                if (!images.fdTable(e.getPid()).containsKey(e.getFd())) {
                    throw images.bad(ImageKind.FILE_LOCKS, null, which + ": no such fd of a process of the tree");
                }
                if (e.getStart() < 0 || e.getLen() < 0) {
                    throw images.bad(ImageKind.FILE_LOCKS, null, which + ": range " + e.getStart() + "+" + e.getLen());
                }
                out.add(e);
            }
            return List.copyOf(out);
        });
    }

    /**
     * Why a restore refuses lock E (a well-formed entry), or null when it takes it again: the restore's
     * own rule, which {@code jcr-show summary} reports too.
     */
    public static String refusal(FileLockEntry e) {
        if (e.getFlag() == FL_LEASE && (e.getType() & LEASE_BREAKING) != 0) {
            return "a lease being broken cannot be restored";
        }
        return null;
    }

    /** Takes the locks process P held, inside P, on its own fds (all in place with their dumped numbers). */
    public static void restore(InProcess p, FileImages images) {
        for (FileLockEntry e : check(images)) {
            if (e.getPid() != p.pid()) {
                continue;
            }
            String what = describe(e) + " of process " + p.pid() + " on fd " + e.getFd();
            try {
                switch (e.getFlag()) {
                    case FL_FLOCK -> p.call("flock (" + what + ")", SYS_FLOCK, e.getFd(),
                            (e.getType() == 0 ? LOCK_SH : LOCK_EX) | LOCK_NB);
                    case FL_POSIX, FL_OFD -> {
                        // struct flock: short l_type, short l_whence (SEEK_SET), off_t l_start, off_t l_len, pid_t l_pid
                        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
                        b.putShort((short) e.getType()).putShort((short) 0).putInt(0).putLong(e.getStart())
                                .putLong(e.getLen()).putInt(0).putInt(0);
                        long addr = p.put(b.array());
                        p.call("fcntl (" + what + ")", SYS_FCNTL, e.getFd(), e.getFlag() == FL_POSIX ? F_SETLK
                                : F_OFD_SETLK, addr);
                    }
                    case FL_LEASE -> p.call("fcntl F_SETLEASE (" + what + ")", SYS_FCNTL, e.getFd(), F_SETLEASE, e.getType());
                    default -> throw new IllegalStateException("unchecked lock flag " + e.getFlag());
                }
            } catch (RestoreException x) {
                int errno = x.getCause() instanceof RemoteSyscallException r ? r.errno() : 0;
                if (errno == Errno.EAGAIN || errno == Errno.EACCES) {
                    throw new RestoreException(Kind.CONFLICT, what + ": someone else holds a conflicting lock or has"
                            + " the file open now (" + x.getMessage() + ")", x);
                }
                throw x;
            }
        }
    }

    /** "flock WRITE", "POSIX lock READ on bytes 0+10", "lease READ". */
    static String describe(FileLockEntry e) {
        String type = e.getType() == 0 ? "READ" : "WRITE";
        return switch (e.getFlag()) {
            case FL_FLOCK -> "flock " + type;
            case FL_POSIX -> "POSIX lock " + type + " on bytes " + e.getStart() + "+" + (e.getLen() == 0 ? "EOF" : e.getLen());
            case FL_OFD -> "OFD lock " + type + " on bytes " + e.getStart() + "+" + (e.getLen() == 0 ? "EOF" : e.getLen());
            default -> "lease " + type;
        };
    }
}
