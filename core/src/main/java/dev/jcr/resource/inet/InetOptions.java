package dev.jcr.resource.inet;

import dev.jcr.image.proto.IpOptsEntry;
import dev.jcr.image.proto.SkOptsEntry;
import dev.jcr.sys.Sockets;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The options of TCP and UDP sockets beyond what every socket has ({@link dev.jcr.resource.socket.SocketOptions}):
 * SO_REUSEPORT, SO_KEEPALIVE with TCP_KEEPIDLE/INTVL/CNT, SO_BROADCAST, SO_LINGER, SO_OOBINLINE in CRIU's
 * sk_opts_entry, IP_FREEBIND in ip_opts_entry and IPV6_V6ONLY. SO_REUSEADDR and SO_REUSEPORT are not applied
 * here: a restore binds with both allowed and sets the dumped values once every socket is bound
 * ({@link InetRestore}).
 */
final class InetOptions {

    static final int SOL_IP = 0;
    static final int IP_FREEBIND = 15;
    static final int SOL_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;

    private InetOptions() {
    }

    /** Adds FD's family options to B (TCP: keepalive times too). */
    static void read(int fd, SkOptsEntry.Builder b, boolean tcp) {
        if (flag(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEPORT)) {
            b.setSoReuseport(true);
        }
        if (flag(fd, Sockets.SOL_SOCKET, Sockets.SO_BROADCAST)) {
            b.setSoBroadcast(true);
        }
        if (flag(fd, Sockets.SOL_SOCKET, Sockets.SO_OOBINLINE)) {
            b.setSoOobinline(1);
        }
        ByteBuffer linger = ByteBuffer.wrap(Arrays.copyOf(Sockets.get(fd, Sockets.SOL_SOCKET, Sockets.SO_LINGER, 8), 8))
                .order(ByteOrder.LITTLE_ENDIAN);
        if (linger.getInt(0) != 0) {
            b.setSoLinger(linger.getInt(4));
        }
        boolean keepalive = flag(fd, Sockets.SOL_SOCKET, Sockets.SO_KEEPALIVE);
        b.setSoKeepalive(keepalive);
        if (tcp) {
            b.setTcpKeepcnt(Sockets.getInt(fd, TcpRepair.SOL_TCP, TcpRepair.TCP_KEEPCNT));
            b.setTcpKeepidle(Sockets.getInt(fd, TcpRepair.SOL_TCP, TcpRepair.TCP_KEEPIDLE));
            b.setTcpKeepintvl(Sockets.getInt(fd, TcpRepair.SOL_TCP, TcpRepair.TCP_KEEPINTVL));
        }
    }

    /** Applies what {@link #read} adds, where it differs from a fresh socket's value. */
    static void apply(int fd, SkOptsEntry o, boolean tcp) {
        if (o.getSoBroadcast()) {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_BROADCAST, 1);
        }
        if (o.getSoOobinline() != 0) {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_OOBINLINE, 1);
        }
        if (o.hasSoLinger()) {
            Sockets.set(fd, Sockets.SOL_SOCKET, Sockets.SO_LINGER, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(1).putInt(o.getSoLinger()).array());
        }
        if (o.getSoKeepalive()) {
            Sockets.setInt(fd, Sockets.SOL_SOCKET, Sockets.SO_KEEPALIVE, 1);
        }
        if (tcp) {
            setIfDiffers(fd, o.hasTcpKeepcnt(), TcpRepair.TCP_KEEPCNT, o.getTcpKeepcnt());
            setIfDiffers(fd, o.hasTcpKeepidle(), TcpRepair.TCP_KEEPIDLE, o.getTcpKeepidle());
            setIfDiffers(fd, o.hasTcpKeepintvl(), TcpRepair.TCP_KEEPINTVL, o.getTcpKeepintvl());
        }
    }

    /** IP_FREEBIND, or null when it is off (CRIU writes ip_opts only with something in it). */
    static IpOptsEntry ipOpts(int fd) {
        return flag(fd, SOL_IP, IP_FREEBIND) ? IpOptsEntry.newBuilder().setFreebind(true).build() : null;
    }

    static boolean v6only(int fd) {
        return flag(fd, SOL_IPV6, IPV6_V6ONLY);
    }

    private static void setIfDiffers(int fd, boolean has, int name, int value) {
        if (has && value > 0 && Sockets.getInt(fd, TcpRepair.SOL_TCP, name) != value) {
            Sockets.setInt(fd, TcpRepair.SOL_TCP, name, value);
        }
    }

    static boolean flag(int fd, int level, int name) {
        return Sockets.getInt(fd, level, name) != 0;
    }
}
