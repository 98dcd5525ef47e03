package dev.jcr.show.explore;

import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.InetSkEntry;
import dev.jcr.image.proto.NetlinkSkEntry;
import dev.jcr.image.proto.PacketSockEntry;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.image.proto.SkPacketEntry;
import dev.jcr.image.proto.UnixSkEntry;
import dev.jcr.show.model.Dump;
import dev.jcr.show.model.Sockets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code x DIR sk}: every socket of the dump (unix, inet, packet, netlink) with its type, state,
 * local and remote end, the data queued in it ({@code sk-queues.img}) and the fds holding it
 * ({@code pid:fd}).
 */
public record SkView(List<Socket> sockets) {

    /**
     * One socket object. {@code ino} is the kernel inode (0 when the image does not record one),
     * {@code peer} the peer's inode for unix sockets.
     */
    public record Socket(int id, String family, String type, String state, long ino, String local, String remote,
                         long queuedPackets, long queuedBytes, List<String> holders) {
    }

    public static SkView of(Dump dump) {
        Map<Integer, List<String>> holders = new HashMap<>();
        for (PstreeEntry p : dump.processes()) {
            for (FdinfoEntry fd : dump.fds(p.getPid())) {
                holders.computeIfAbsent(fd.getId(), k -> new ArrayList<>()).add(p.getPid() + ":" + fd.getFd());
            }
        }
        Map<Integer, long[]> queues = new HashMap<>();
        for (SkPacketEntry q : dump.readAll(ImageKind.SK_QUEUES, null, SkPacketEntry.class)) {
            long[] c = queues.computeIfAbsent(q.getIdFor(), k -> new long[2]);
            c[0]++;
            c[1] += Integer.toUnsignedLong(q.getLength());
        }
        Map<Integer, Socket> out = new TreeMap<>();
        for (FileEntry f : dump.files().values()) {
            Socket s = socket(f, holders.getOrDefault(f.getId(), List.of()), queues.getOrDefault(f.getId(), new long[2]));
            if (s != null) {
                out.put(f.getId(), s);
            }
        }
        List<Socket> list = new ArrayList<>(out.values());
        list.sort(Comparator.comparing(Socket::family).thenComparingInt(Socket::id));
        return new SkView(List.copyOf(list));
    }

    private static Socket socket(FileEntry f, List<String> holders, long[] q) {
        List<String> h = holders.stream().sorted().toList();
        if (f.hasUsk()) {
            UnixSkEntry u = f.getUsk();
            String name = Sockets.unixName(u.getName().toByteArray());
            return new Socket(f.getId(), "unix", Sockets.type(u.getType()), Sockets.state(u.getState()),
                    Integer.toUnsignedLong(u.getIno()), name.isEmpty() ? "" : name,
                    u.getPeer() == 0 ? "" : "peer ino " + Integer.toUnsignedString(u.getPeer()), q[0], q[1], h);
        }
        if (f.hasIsk()) {
            InetSkEntry s = f.getIsk();
            String remote = s.getDstPort() == 0 && Sockets.isAny(s.getDstAddrList()) ? ""
                    : Sockets.endpoint(s.getDstAddrList(), s.getDstPort());
            return new Socket(f.getId(), Sockets.family(s.getFamily()), Sockets.proto(s.getProto(), s.getType()),
                    Sockets.state(s.getState()), Integer.toUnsignedLong(s.getIno()),
                    Sockets.endpoint(s.getSrcAddrList(), s.getSrcPort()), remote, q[0], q[1], h);
        }
        if (f.hasPsk()) {
            PacketSockEntry s = f.getPsk();
            return new Socket(f.getId(), "packet", Sockets.type(s.getType()), "", 0,
                    String.format("proto 0x%x ifindex %d", s.getProtocol(), s.getIfindex()), "", q[0], q[1], h);
        }
        if (f.hasNlsk()) {
            NetlinkSkEntry s = f.getNlsk();
            return new Socket(f.getId(), "netlink", "proto " + s.getProtocol(), Sockets.state(s.getState()),
                    Integer.toUnsignedLong(s.getIno()), "port " + Integer.toUnsignedString(s.getPortid()),
                    s.getDstPortid() == 0 ? "" : "port " + Integer.toUnsignedString(s.getDstPortid()), q[0], q[1], h);
        }
        return null;
    }
}
