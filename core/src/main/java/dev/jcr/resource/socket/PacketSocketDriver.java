package dev.jcr.resource.socket;

import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/**
 * Packet sockets (AF_PACKET: tcpdump, DHCP clients, anything that reads or writes link-layer frames):
 * refused, naming protocol and interface. Their state lives in rings mapped into the process, fanout
 * groups and socket filters bound to one interface of one machine.
 */
public final class PacketSocketDriver implements ResourceDriver<OpenFd> {

    @Override
    public ResourceKind kind() {
        return ResourceKind.PACKET_SOCKET;
    }

    @Override
    public Support support() {
        return new Support(Verdict.UNSUPPORTED, "refused: packet sockets (link-layer rings, fanout groups and"
                + " interface bindings are not dumped)");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        String what = "packet socket";
        if (fd.detail() instanceof FdDetail.Socket d && d.socket() != null) {
            String where = d.diag().unavailable();
            if (where != null) {
                return Assessment.unsupported(fd.label(), kind(), what + " " + where);
            }
            what += " (" + d.socket().local() + ")";
        }
        return Assessment.unsupported(fd.label(), kind(), what + ": not supported (it reads or writes link-layer"
                + " frames of one interface; its rings, fanout group and filters are not dumped)");
    }
}
