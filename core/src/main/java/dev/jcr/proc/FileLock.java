package dev.jcr.proc;

/**
 * A lock held on an open file, from a "lock:" line of /proc/PID/fdinfo/N (the kernel lists there the
 * locks of that fd's open file description: flock and OFD locks and leases are the description's,
 * POSIX locks the process's, set through it).
 *
 * @param fd       the fd whose fdinfo listed it
 * @param kind     flock, POSIX, OFD lock, lease, …
 * @param type     read or write (for a lease being broken: what it is being broken to)
 * @param breaking a lease whose break has started (another process opened the file)
 * @param pid      the process that set it (-1 for OFD locks, which belong to no process)
 * @param start    first byte (POSIX and OFD locks; 0 otherwise)
 * @param end      last byte, or -1 for "to the end of the file, however long it gets" (EOF)
 */
public record FileLock(int fd, Kind kind, Type type, boolean breaking, long pid, long start, long end) {

    /** The lock's family, as /proc/locks names it. */
    public enum Kind {
        POSIX("POSIX lock"), FLOCK("flock"), OFD("OFD lock"), LEASE("lease"), DELEG("NFS delegation"), OTHER("lock");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    /** Read (shared) or write (exclusive); UNLCK only for a lease being broken to nothing. */
    public enum Type {
        READ, WRITE, UNLCK
    }

    /** The lock's length as fcntl's l_len takes it: 0 means to the end of the file. */
    public long length() {
        return end < 0 ? 0 : end - start + 1;
    }

    /** "flock WRITE", "POSIX lock READ on bytes 0-9", "lease READ (being broken)". */
    public String describe() {
        String range = kind == Kind.POSIX || kind == Kind.OFD
                ? " on bytes " + start + "-" + (end < 0 ? "EOF" : Long.toString(end)) : "";
        return kind.words() + " " + type + range + (breaking ? " (being broken)" : "");
    }

    /**
     * Parses the text after "lock:" of an fdinfo line of FD, e.g. {@code 1: POSIX  ADVISORY  WRITE 1234
     * 08:01:5678 0 EOF}, {@code 2: LEASE  BREAKING  UNLCK 1234 00:2d:99 0 EOF}; null when it is not one.
     */
    public static FileLock parse(int fd, String text) {
        String[] t = text.trim().split("\\s+");
        if (t.length < 8 || !t[0].endsWith(":")) {
            return null;
        }
        Kind kind = switch (t[1]) {
            case "POSIX" -> Kind.POSIX;
            case "FLOCK" -> Kind.FLOCK;
            case "OFDLCK" -> Kind.OFD;
            case "LEASE" -> Kind.LEASE;
            case "DELEG" -> Kind.DELEG;
            default -> Kind.OTHER;
        };
        Type type = switch (t[3]) {
            case "READ" -> Type.READ;
            case "WRITE" -> Type.WRITE;
            case "UNLCK" -> Type.UNLCK;
            default -> null;
        };
        if (type == null) {
            return null;
        }
        try {
            long pid = Long.parseLong(t[4]);
            long start = Long.parseLong(t[6]);
            long end = t[7].equals("EOF") ? -1 : Long.parseLong(t[7]);
            return new FileLock(fd, kind, type, t[2].equals("BREAKING") || t[2].equals("BREAKER"), pid, start, end);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
