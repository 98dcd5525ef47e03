package dev.jcr.pageserver;

import dev.jcr.JcrException;
import dev.jcr.JcrException.Kind;
import dev.jcr.image.ImageIoException;
import dev.jcr.image.ImageSink;
import dev.jcr.image.PagesOutput;
import dev.jcr.sys.Linux;
import dev.jcr.sys.SyscallException;
import dev.jcr.sys.Tcp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The sending end of a page-server session (see {@link Protocol}): image directories go to the server
 * as a dump writes them — pages spliced from the target's pipe straight into the socket, small images
 * at the commit — and the server can be asked to restore one. Any failure of the stream is an I/O
 * error naming the server (the dump then throws its directory away and lets the tree run on).
 */
public final class PageServerClient implements ImageSink, AutoCloseable {

    /** What a restore on the server gave: the root's pid as dumped (in its namespace) and on the server's host. */
    public record Restored(int root, int hostRoot) {
    }

    private final String where;
    private final int fd;
    private final ByteBuffer head = ByteBuffer.allocateDirect(64 * 1024);
    private boolean closed;

    private PageServerClient(String where, int fd) {
        this.where = where;
        this.fd = fd;
    }

    /** Connects to HOST:PORT (an IPv6 host in brackets) and says hello with TOKEN (null or empty: none). */
    public static PageServerClient connect(String hostPort, String token) {
        InetSocketAddress address = parse(hostPort);
        int fd;
        try {
            fd = Tcp.connect(address);
        } catch (SyscallException e) {
            throw new ImageIoException("cannot reach page server " + hostPort + ": " + e.errnoName(), e);
        }
        PageServerClient c = new PageServerClient("page server " + hostPort, fd);
        try {
            byte[] t = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
            c.head.clear();
            c.head.put(Protocol.MAGIC).putInt(Protocol.VERSION);
            c.putString(new String(t, StandardCharsets.UTF_8));
            c.flushHead();
            c.awaitOk("hello");
            return c;
        } catch (RuntimeException e) {
            Linux.close(fd);
            throw e;
        }
    }

    static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new PageServerException(Kind.USAGE, "a page server is HOST:PORT, not " + hostPort);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new PageServerException(Kind.USAGE, "the page server's port must be a number, not " + hostPort.substring(colon + 1));
        }
        if (port <= 0 || port > 65535) {
            throw new PageServerException(Kind.USAGE, "the page server's port must be 1..65535, not " + port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new PageServerException(Kind.USAGE, "unknown page server host " + host);
        }
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public void begin(String name) {
        frame(Protocol.DIR);
        putString(name);
        flushHead();
    }

    @Override
    public PagesOutput pages(String name) {
        return new PagesOutput() {
            @Override
            public void reserve(long bytes) {
                // the server writes what arrives; its disk fills up there, and it says so at the commit
            }

            @Override
            public long fromPipe(int pipe, long offset, long max) {
                long n = Math.min(Math.min(Tcp.available(pipe), max), Protocol.MAX_CHUNK);
                if (n == 0) {
                    return 0; // readable and empty: the end of the pipe
                }
                pagesHeader(name, offset, (int) n);
                try {
                    Tcp.spliceFully(pipe, fd, n);
                } catch (SyscallException e) {
                    throw broken(e);
                }
                return n;
            }

            @Override
            public void write(long addr, long len, long offset) {
                for (long done = 0; done < len; ) {
                    int n = (int) Math.min(Protocol.MAX_CHUNK, len - done);
                    pagesHeader(name, offset + done, n);
                    try {
                        Tcp.writeFully(fd, addr + done, n);
                    } catch (SyscallException e) {
                        throw broken(e);
                    }
                    done += n;
                }
            }

            @Override
            public void truncate(long length) {
                frame(Protocol.TRUNC);
                putString(name);
                head.putLong(length);
                flushHead();
            }

            @Override
            public void close() {
                // nothing held: the frames are the file
            }
        };
    }

    private void pagesHeader(String name, long offset, int len) {
        frame(Protocol.PAGES);
        putString(name);
        head.putLong(offset).putInt(len);
        flushHead();
    }

    @Override
    public void publish(Path local, Set<String> streamed, String parentLink) {
        try (Stream<Path> files = Files.list(local)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (streamed.contains(name) || !Files.isRegularFile(f)) {
                    continue;
                }
                sendFile(name, f);
            }
        } catch (IOException e) {
            throw ImageIoException.of(local, "read staged images", e);
        }
        frame(Protocol.COMMIT);
        putString(parentLink == null ? "" : parentLink);
        flushHead();
        awaitOk("commit");
    }

    private void sendFile(String name, Path f) throws IOException {
        long size = Files.size(f);
        frame(Protocol.FILE);
        putString(name);
        head.putLong(size);
        flushHead();
        ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);
        byte[] chunk = new byte[buf.capacity()];
        long sent = 0;
        try (InputStream in = Files.newInputStream(f)) {
            while (sent < size) {
                int n = in.readNBytes(chunk, 0, (int) Math.min(chunk.length, size - sent));
                if (n <= 0) {
                    throw new IOException(f + " shrank while it was sent");
                }
                buf.clear();
                buf.put(chunk, 0, n).flip();
                try {
                    Tcp.writeFully(fd, buf);
                } catch (SyscallException e) {
                    throw broken(e);
                }
                sent += n;
            }
        }
    }

    @Override
    public void abort() {
        if (closed) {
            return;
        }
        try {
            frame(Protocol.ABORT);
            flushHead();
        } catch (JcrException e) {
            // the stream is gone: the server throws the directory away on its own
        }
    }

    /** Asks the server to restore directory NAME (detached; PID_NAMESPACE: into a new PID namespace). */
    public Restored restore(String name, boolean pidNamespace) {
        frame(Protocol.RESTORE);
        putString(name);
        head.put((byte) (pidNamespace ? Protocol.RESTORE_PID_NAMESPACE : 0));
        flushHead();
        awaitOk("restore of " + name);
        ByteBuffer b = readExactly(8);
        return new Restored(b.getInt(0), b.getInt(4));
    }

    /** Ends the session (the server's reply says it has everything) and closes the connection. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            frame(Protocol.BYE);
            flushHead();
            awaitOk("end of session");
        } finally {
            closed = true;
            Linux.close(fd);
        }
    }

    /** Closes the connection without a goodbye (the server takes it as a dropped session). */
    public void drop() {
        if (!closed) {
            closed = true;
            Linux.close(fd);
        }
    }

    // ---------------------------------------------------------------- framing

    private void frame(int type) {
        if (closed) {
            throw new PageServerException(Kind.IO, where + ": the session is closed");
        }
        head.clear();
        head.put((byte) type);
    }

    private void putString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        head.putShort((short) b.length).put(b);
    }

    private void flushHead() {
        head.flip();
        try {
            Tcp.writeFully(fd, head);
        } catch (SyscallException e) {
            throw broken(e);
        }
    }

    /** The stream broke: the server's own reason when it sent one before closing, else the errno. */
    private JcrException broken(SyscallException e) {
        String why = e.errnoName();
        try {
            if (Linux.pollIn(fd, 200)) {
                ByteBuffer b = ByteBuffer.allocateDirect(4096);
                if (Tcp.read(fd, b) > 0 && b.get(0) == Protocol.ERR && b.position() > 4) {
                    int len = Short.toUnsignedInt(b.getShort(2));
                    byte[] msg = new byte[Math.min(len, b.position() - 4)];
                    b.get(4, msg);
                    why = new String(msg, StandardCharsets.UTF_8);
                }
            }
        } catch (RuntimeException ignored) {
            // nothing more to learn
        }
        closed = true;
        Linux.close(fd);
        return new PageServerException(Kind.IO, where + ": connection lost (" + why + ")", e);
    }

    private void awaitOk(String what) {
        int status = readExactly(1).get(0);
        if (status == Protocol.OK) {
            return;
        }
        ByteBuffer k = readExactly(3);
        int kind = k.get(0);
        int len = Short.toUnsignedInt(k.getShort(1));
        ByteBuffer m = readExactly(len);
        byte[] msg = new byte[len];
        m.get(0, msg);
        Kind[] kinds = Kind.values();
        throw new PageServerException(kind >= 0 && kind < kinds.length ? kinds[kind] : Kind.INTERNAL,
                where + " refused the " + what + ": " + new String(msg, StandardCharsets.UTF_8));
    }

    private ByteBuffer readExactly(int n) {
        ByteBuffer b = ByteBuffer.allocateDirect(Math.max(n, 1));
        b.limit(n);
        while (b.hasRemaining()) {
            int got;
            try {
                got = Tcp.read(fd, b);
            } catch (SyscallException e) {
                closed = true;
                Linux.close(fd);
                throw new PageServerException(Kind.IO, where + ": connection lost (" + e.errnoName() + ")", e);
            }
            if (got < 0) {
                closed = true;
                Linux.close(fd);
                throw new PageServerException(Kind.IO, where + ": connection closed by the server");
            }
        }
        return b.flip();
    }

    @Override
    public String toString() {
        return where;
    }

}
