package dev.jcr.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/** File descriptors: open/close, pread/pwrite, fcntl, and the pipe family (pipe2, tee, splice, vmsplice). */
final class FdLib {
    static {
        Native.register(FdLib.class, "c");
    }

    private FdLib() {
    }

    static native int open(String path, int flags, int mode) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int mkdir(String path, int mode) throws LastErrorException;

    static native int rmdir(String path) throws LastErrorException;

    static native long write(int fd, byte[] buf, long count) throws LastErrorException;

    static native long pread(int fd, long buf, long count, long offset) throws LastErrorException;

    static native long pwrite(int fd, long buf, long count, long offset) throws LastErrorException;

    static native int ftruncate(int fd, long length) throws LastErrorException;

    static native int fcntl(int fd, int cmd, long arg) throws LastErrorException;

    static native int fallocate(int fd, int mode, long offset, long len) throws LastErrorException;

    static native int pipe2(int[] fds, int flags) throws LastErrorException;

    static native int eventfd(int initval, int flags) throws LastErrorException;

    static native long tee(int fdIn, int fdOut, long len, int flags) throws LastErrorException;

    static native long splice(int fdIn, long offIn, int fdOut, long offOut, long len, int flags)
            throws LastErrorException;

    static native long vmsplice(int fd, long iov, long nrSegs, int flags) throws LastErrorException;

    static native int poll(long fds, long nfds, int timeout) throws LastErrorException;
}
