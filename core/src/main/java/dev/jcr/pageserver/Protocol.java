package dev.jcr.pageserver;

import java.nio.charset.StandardCharsets;

/**
 * jcr's page-server stream (TCP, big-endian). The client opens with HELLO: the 8 bytes
 * {@code JCR-PAGE}, a u32 version and a u16-length token (empty when none is required); the server
 * answers with a status byte (OK, or ERR with a kind byte and a u16-length UTF-8 message) and refuses
 * anything else before a byte of it is written anywhere. Then frames, each a type byte:
 * <pre>
 *   DIR      name                      starts an image directory (a plain name under the server's root)
 *   PAGES    name u64:offset u32:len … len bytes of a pages file, at offset
 *   TRUNC    name u64:length           a pages file's final length (a pre-dump that left pages out)
 *   FILE     name u64:len …            a whole small image file
 *   COMMIT   link                      the directory is complete ("" or its parent link): reply
 *   ABORT                              throw the directory away
 *   RESTORE  name u8:flags             restore it (detached; flag 1: into a new PID namespace): reply
 *   BYE                                end of the session: reply
 * </pre>
 * Strings are u16-length UTF-8. Replies: OK (RESTORE's: u32 root pid as dumped, u32 root pid on the
 * server's host) or ERR. A server that fails mid-stream sends ERR and closes; a client that cannot
 * write reads it to say why.
 */
final class Protocol {

    static final byte[] MAGIC = "JCR-PAGE".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;

    static final int DIR = 1;
    static final int PAGES = 2;
    static final int TRUNC = 3;
    static final int FILE = 4;
    static final int COMMIT = 5;
    static final int ABORT = 6;
    static final int RESTORE = 7;
    static final int BYE = 8;

    static final int OK = 0;
    static final int ERR = 1;

    static final int RESTORE_PID_NAMESPACE = 1;

    /** Largest PAGES frame a writer sends (a reader accepts any length up to this). */
    static final int MAX_CHUNK = 1 << 20;

    private Protocol() {
    }

    /** A plain file or directory name: no separators, not hidden, not empty (the server writes only under its root). */
    static boolean plainName(String name) {
        return !name.isEmpty() && name.length() <= 255 && !name.startsWith(".") && !name.contains("/")
                && name.indexOf('\0') < 0;
    }
}
