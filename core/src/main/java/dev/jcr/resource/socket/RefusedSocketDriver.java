package dev.jcr.resource.socket;

import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.DumpContext;
import dev.jcr.resource.FdDescriber;
import dev.jcr.resource.NotDumpableException;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/**
 * Socket kinds jcr refuses on purpose, with the reason: packet sockets (link-level capture and
 * injection: interface bindings, rings, fanout and filters tied to this machine's interfaces) and raw IP
 * sockets (protocol-level capture and injection, bound to interfaces and addresses).
 */
public final class RefusedSocketDriver implements ResourceDriver<OpenFd> {

    private final ResourceKind kind;
    private final String why;

    private RefusedSocketDriver(ResourceKind kind, String why) {
        this.kind = kind;
        this.why = why;
    }

    public static RefusedSocketDriver packet() {
        return new RefusedSocketDriver(ResourceKind.PACKET_SOCKET, "packet sockets capture or inject link-level"
                + " frames on this machine's interfaces (rings, fanout, filters): not supported");
    }

    public static RefusedSocketDriver raw() {
        return new RefusedSocketDriver(ResourceKind.RAW_SOCKET, "raw IP sockets capture or inject packets of a"
                + " protocol on this machine's interfaces: not supported");
    }

    @Override
    public ResourceKind kind() {
        return kind;
    }

    @Override
    public Support support() {
        return new Support(Verdict.UNSUPPORTED, why);
    }

    @Override
    public Assessment assess(OpenFd fd) {
        return Assessment.unsupported(fd.label(), kind, FdDescriber.describe(fd) + ": " + why);
    }

    @Override
    public void dump(OpenFd fd, DumpContext ctx) {
        throw new NotDumpableException(ctx.pid(), fd.label(), FdDescriber.describe(fd) + ": " + why);
    }
}
