package dev.jcr.resource.inet;

import dev.jcr.proc.FdDetail;
import dev.jcr.proc.OpenFd;
import dev.jcr.resource.Assessment;
import dev.jcr.resource.ResourceDriver;
import dev.jcr.resource.ResourceKind;
import dev.jcr.resource.Support;
import dev.jcr.resource.Verdict;

/**
 * Raw IP sockets (SOCK_RAW of AF_INET/AF_INET6: ping, traceroute, routing daemons): refused, with the
 * protocol named. Their state is more than an address (IP_HDRINCL, ICMP filters, the IP options a program
 * writes itself), and jcr restores TCP and UDP only.
 */
public final class RawSocketDriver implements ResourceDriver<OpenFd> {

    @Override
    public ResourceKind kind() {
        return ResourceKind.RAW_SOCKET;
    }

    @Override
    public Support support() {
        return new Support(Verdict.UNSUPPORTED, "refused: raw IP sockets (their header options and ICMP filters are"
                + " not dumped; jcr restores TCP and UDP)");
    }

    @Override
    public Assessment assess(OpenFd fd) {
        String what = "raw IP socket";
        if (fd.detail() instanceof FdDetail.Socket d && d.socket() != null) {
            String where = d.diag().unavailable();
            if (where != null) {
                return Assessment.unsupported(fd.label(), kind(), what + " " + where);
            }
            // /proc/net/raw shows the protocol where a port would be
            String local = d.socket().local();
            String proto = local.substring(local.lastIndexOf(':') + 1);
            what += " (" + d.socket().family() + ", protocol " + proto + protocolName(proto) + ")";
        }
        return Assessment.unsupported(fd.label(), kind(), what + ": not supported (a raw socket's header options"
                + " and filters are not dumped; jcr restores TCP and UDP sockets)");
    }

    private static String protocolName(String number) {
        return switch (number) {
            case "1" -> " icmp";
            case "6" -> " tcp";
            case "17" -> " udp";
            case "58" -> " icmpv6";
            case "255" -> " raw";
            default -> "";
        };
    }
}
