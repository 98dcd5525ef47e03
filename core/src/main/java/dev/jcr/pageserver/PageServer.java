package dev.jcr.pageserver;

import dev.jcr.JcrException;
import dev.jcr.JcrException.Kind;
import dev.jcr.image.BadImageException;
import dev.jcr.image.ImageDirWriter;
import dev.jcr.image.ImageIoException;
import dev.jcr.image.PagesOutput;
import dev.jcr.restore.RestoreEngine;
import dev.jcr.restore.RestoreOptions;
import dev.jcr.restore.RestoreResult;
import dev.jcr.sys.Linux;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;

/**
 * The receiving end of {@code jcr dump --page-server} and {@code jcr migrate}: listens on a TCP port,
 * takes one session at a time, writes every image directory it receives under its root exactly as a
 * local dump would (a hidden temporary directory, synced and renamed into place only when the whole
 * directory arrived: a dropped connection leaves nothing that looks complete), and restores one when
 * asked. A connection that does not open with jcr's hello (magic, version, the token when one is
 * required) is refused before anything is written, and the server waits for the next one. It ends
 * after the first session that says goodbye.
 */
public final class PageServer implements AutoCloseable {

    private final Path root;
    private final String token;
    private final boolean pidNamespace;
    private final PrintWriter log;
    private final ServerSocketChannel listener;

    /**
     * Listens on PORT (0: any free one) of every address; directories go under ROOT (which must exist),
     * TOKEN (null or empty: none) must open every session, PID_NAMESPACE makes restores go into a new PID
     * namespace. LOG gets one line per event.
     */
    public PageServer(int port, Path root, String token, boolean pidNamespace, PrintWriter log) {
        if (!Files.isDirectory(root)) {
            throw ImageIoException.of(root, "serve pages into", new java.nio.file.NoSuchFileException(root.toString()));
        }
        this.root = root.toAbsolutePath().normalize();
        this.token = token == null ? "" : token;
        this.pidNamespace = pidNamespace;
        this.log = log;
        try {
            this.listener = ServerSocketChannel.open();
            listener.bind(new InetSocketAddress(port));
        } catch (IOException e) {
            throw new PageServerException(Kind.IO, "cannot listen on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** The port listened on (the one picked when 0 was asked). */
    public int port() {
        try {
            return ((InetSocketAddress) listener.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new PageServerException(Kind.IO, "page server: " + e.getMessage(), e);
        }
    }

    /** Serves sessions until one ends with goodbye; returns how many directories that session committed. */
    public int serve() {
        while (true) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                throw new PageServerException(Kind.IO, "page server: accept failed: " + e.getMessage(), e);
            }
            String peer = peer(ch);
            try (Session s = new Session(ch, peer)) {
                if (!s.hello()) {
                    continue;
                }
                log.println("page-server: session from " + peer);
                log.flush();
                Integer done = s.run();
                if (done != null) {
                    return done;
                }
            }
        }
    }

    private static String peer(SocketChannel ch) {
        try {
            return String.valueOf(ch.getRemoteAddress());
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    /** One connection. */
    private final class Session implements AutoCloseable {
        private final SocketChannel ch;
        private final String peer;
        private final ByteBuffer in = ByteBuffer.allocateDirect(Protocol.MAX_CHUNK + 4096);
        private final Map<String, PagesOutput> pages = new HashMap<>();
        private ImageDirWriter dir;
        private String dirName;
        private int committed;

        Session(SocketChannel ch, String peer) {
            this.ch = ch;
            this.peer = peer;
            in.limit(0);
        }

        /** Reads and checks the hello; false (after telling the peer why) when it is not a jcr stream for us. */
        boolean hello() {
            try {
                byte[] magic = new byte[Protocol.MAGIC.length];
                for (int i = 0; i < magic.length; i++) {
                    magic[i] = readByte();
                }
                if (!MessageDigest.isEqual(magic, Protocol.MAGIC)) {
                    return refuse(Kind.BAD_IMAGE, "not a jcr page stream");
                }
                int version = readInt();
                if (version != Protocol.VERSION) {
                    return refuse(Kind.BAD_IMAGE, "jcr page stream version " + version + ", this server speaks "
                            + Protocol.VERSION);
                }
                String t = readString();
                if (!MessageDigest.isEqual(t.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
                    return refuse(Kind.PERMISSION, token.isEmpty() ? "this server takes no token" : "wrong or missing token");
                }
                reply(Protocol.OK);
                return true;
            } catch (IOException | RuntimeException e) {
                log.println("page-server: refused " + peer + ": " + e.getMessage());
                log.flush();
                return false;
            }
        }

        private boolean refuse(Kind kind, String why) throws IOException {
            log.println("page-server: refused " + peer + ": " + why);
            log.flush();
            error(kind, why);
            return false;
        }

        /** Frames until goodbye (returns the directories committed) or a broken stream (null: serve on). */
        Integer run() {
            try {
                while (true) {
                    int type = readByte();
                    switch (type) {
                        case Protocol.DIR -> startDir(readString());
                        case Protocol.PAGES -> pages(readString(), readLong(), readInt());
                        case Protocol.TRUNC -> pagesFile(readString()).truncate(readLong());
                        case Protocol.FILE -> file(readString(), readLong());
                        case Protocol.COMMIT -> commit(readString());
                        case Protocol.ABORT -> abortDir("the sender gave it up");
                        case Protocol.RESTORE -> restore(readString(), readByte());
                        case Protocol.BYE -> {
                            abortDir("the session ended without committing it");
                            reply(Protocol.OK);
                            log.println("page-server: session from " + peer + " ended; " + committed + " directories");
                            log.flush();
                            return committed;
                        }
                        default -> throw new PageServerException(Kind.BAD_IMAGE, "unknown frame type " + type);
                    }
                }
            } catch (EOFException e) {
                abortDir("the connection dropped");
                return null;
            } catch (IOException | JcrException e) {
                String why = e instanceof JcrException ? e.getMessage() : "I/O: " + e.getMessage();
                abortDir(why);
                try {
                    error(e instanceof JcrException j ? j.kind() : Kind.IO, why);
                } catch (IOException ignored) {
                    // the peer is gone
                }
                return null;
            }
        }

        private void startDir(String name) throws IOException {
            if (dir != null) {
                throw new PageServerException(Kind.BAD_IMAGE, "directory " + dirName + " was not finished before " + name);
            }
            if (!Protocol.plainName(name)) {
                throw new PageServerException(Kind.BAD_IMAGE, "not a plain directory name: " + dev.jcr.Quote.of(name));
            }
            dir = ImageDirWriter.create(root.resolve(name));
            dirName = name;
        }

        private ImageDirWriter current() {
            if (dir == null) {
                throw new PageServerException(Kind.BAD_IMAGE, "a file arrived outside any directory");
            }
            return dir;
        }

        private PagesOutput pagesFile(String name) {
            if (!Protocol.plainName(name)) {
                throw new PageServerException(Kind.BAD_IMAGE, "not a plain file name: " + dev.jcr.Quote.of(name));
            }
            return pages.computeIfAbsent(name, n -> current().pagesOutput(n));
        }

        private void pages(String name, long offset, int len) throws IOException {
            if (len < 0 || len > Protocol.MAX_CHUNK || offset < 0) {
                throw new PageServerException(Kind.BAD_IMAGE, "a pages frame of " + len + " bytes at " + offset);
            }
            PagesOutput out = pagesFile(name);
            long done = 0;
            while (done < len) {
                if (!in.hasRemaining()) {
                    fill();
                }
                int n = (int) Math.min(in.remaining(), len - done);
                out.write(Linux.addressOf(in) + in.position(), n, offset + done);
                in.position(in.position() + n);
                done += n;
            }
        }

        private void file(String name, long size) throws IOException {
            if (!Protocol.plainName(name) || size < 0) {
                throw new PageServerException(Kind.BAD_IMAGE, "not a plain file name: " + dev.jcr.Quote.of(name));
            }
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = current().newFile(name)) {
                long done = 0;
                while (done < size) {
                    if (!in.hasRemaining()) {
                        fill();
                    }
                    int n = (int) Math.min(Math.min(in.remaining(), size - done), chunk.length);
                    in.get(chunk, 0, n);
                    out.write(chunk, 0, n);
                    done += n;
                }
            }
        }

        private void commit(String link) throws IOException {
            ImageDirWriter d = current();
            if (!link.isEmpty()) {
                // the parent must be a directory this server holds: its link never leads out of the root
                Path target = root.resolve(dirName).resolve(link).normalize();
                if (!target.startsWith(root) || target.equals(root) || !Files.isDirectory(target)) {
                    throw new BadImageException(link, -1, "the parent of " + dirName + " is not a directory under "
                            + root);
                }
                d.linkParent(link);
            }
            for (PagesOutput p : pages.values()) {
                p.close();
            }
            pages.clear();
            long t0 = System.nanoTime();
            d.commit();
            log.println("page-server: received " + dirName + (link.isEmpty() ? "" : " (parent " + link + ")")
                    + String.format("; synced in %d ms", (System.nanoTime() - t0) / 1_000_000));
            log.flush();
            dir = null;
            committed++;
            reply(Protocol.OK);
        }

        private void restore(String name, int flags) throws IOException {
            if (!Protocol.plainName(name) || !Files.isDirectory(root.resolve(name))) {
                error(Kind.BAD_IMAGE, "no directory " + dev.jcr.Quote.of(name) + " here");
                return;
            }
            try {
                RestoreOptions o = RestoreOptions.of(root.resolve(name)).detached();
                if ((flags & Protocol.RESTORE_PID_NAMESPACE) != 0 || pidNamespace) {
                    o = o.withPidNamespace(true);
                }
                long t0 = System.nanoTime();
                RestoreResult r = new RestoreEngine(null).restore(o);
                log.println("page-server: restored " + name + ": root pid " + r.rootPid() + " (host pid " + r.hostRootPid()
                        + String.format(") in %d ms", (System.nanoTime() - t0) / 1_000_000));
                log.flush();
                reply(Protocol.OK);
                ByteBuffer b = ByteBuffer.allocate(8).putInt(r.rootPid()).putInt(r.hostRootPid()).flip();
                writeAll(b);
            } catch (JcrException e) {
                log.println("page-server: restore of " + name + " failed: " + e.getMessage());
                log.flush();
                error(e.kind(), e.getMessage());
            }
        }

        private void abortDir(String why) {
            for (PagesOutput p : pages.values()) {
                try {
                    p.close();
                } catch (RuntimeException ignored) {
                    // thrown away anyway
                }
            }
            pages.clear();
            if (dir != null) {
                dir.abort();
                log.println("page-server: dropped " + dirName + ": " + why);
                log.flush();
                dir = null;
            }
        }

        // ------------------------------------------------------------ stream

        private void fill() throws IOException {
            in.compact();
            int n = ch.read(in);
            in.flip();
            if (n < 0) {
                throw new EOFException("end of stream");
            }
        }

        private void need(int n) throws IOException {
            while (in.remaining() < n) {
                fill();
            }
        }

        private byte readByte() throws IOException {
            need(1);
            return in.get();
        }

        private int readInt() throws IOException {
            need(4);
            return in.getInt();
        }

        private long readLong() throws IOException {
            need(8);
            return in.getLong();
        }

        private String readString() throws IOException {
            need(2);
            int len = Short.toUnsignedInt(in.getShort());
            need(len);
            byte[] b = new byte[len];
            in.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        private void reply(int status) throws IOException {
            writeAll(ByteBuffer.allocate(1).put((byte) status).flip());
        }

        private void error(Kind kind, String why) throws IOException {
            byte[] m = why.getBytes(StandardCharsets.UTF_8);
            int len = Math.min(m.length, 60000);
            ByteBuffer b = ByteBuffer.allocate(4 + len).put((byte) Protocol.ERR).put((byte) kind.ordinal())
                    .putShort((short) len).put(m, 0, len).flip();
            writeAll(b);
        }

        private void writeAll(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }

        @Override
        public void close() {
            abortDir("the connection ended");
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
