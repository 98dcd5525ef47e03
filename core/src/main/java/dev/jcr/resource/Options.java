package dev.jcr.resource;

/** Names of the dump options a NEEDS_OPTION verdict can ask for. */
public final class Options {

    /** The process tree is attached to the caller's terminal/session; restore it into the current one. */
    public static final String SHELL_JOB = "--shell-job";

    /**
     * Deleted files (and, with them, mapped deleted files) up to this size are saved in the images;
     * CRIU's option of the same name, with CRIU's default of 1 MiB. It carries a size, so it reaches the
     * drivers as their limit ({@link DriverTable#standard(long)}), not as a name in the set of options.
     */
    public static final String GHOST_LIMIT = "--ghost-limit";

    /**
     * A unix socket may be connected to a peer outside the tree: at restore it is connected again to the
     * peer's name (CRIU's option of the same name; datagram peers only, as CRIU).
     */
    public static final String EXT_UNIX_SK = "--ext-unix-sk";

    /**
     * An established TCP connection may have its peer outside the tree: it is dumped and restored through TCP
     * repair and the peer never notices, provided it is restored where the peer can still reach it (CRIU's
     * option of the same name). Connections with both ends in the tree need no option.
     */
    public static final String TCP_ESTABLISHED = "--tcp-established";

    /** Established TCP connections are dumped as closed sockets and restored so (CRIU's option of the same name). */
    public static final String TCP_CLOSE = "--tcp-close";

    private Options() {
    }
}
