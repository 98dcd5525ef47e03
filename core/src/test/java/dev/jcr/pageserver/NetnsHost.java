package dev.jcr.pageserver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Another "host" on this machine: a network namespace joined to this one by a veth pair, with a /30
 * of its own (names and subnet random, so tests running at once do not meet); {@link #close()}
 * removes both.
 */
final class NetnsHost implements AutoCloseable {

    final String ns;
    final String hostIp;
    final String nsIp;
    private final String vethHost;

    private NetnsHost(String suffix, int a, int b) {
        this.ns = "jcr-mig-" + suffix;
        this.vethHost = "vjA" + suffix;
        this.hostIp = "10." + a + "." + b + ".1";
        this.nsIp = "10." + a + "." + b + ".2";
    }

    static NetnsHost create() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String suffix = HexFormat.of().formatHex(new byte[] {(byte) r.nextInt(), (byte) r.nextInt(), (byte) r.nextInt()});
        NetnsHost h = new NetnsHost(suffix, 200 + r.nextInt(50), r.nextInt(256));
        String peer = "vjB" + suffix;
        try {
            run("ip", "netns", "add", h.ns);
            run("ip", "link", "add", h.vethHost, "type", "veth", "peer", "name", peer);
            run("ip", "link", "set", peer, "netns", h.ns);
            run("ip", "addr", "add", h.hostIp + "/30", "dev", h.vethHost);
            run("ip", "link", "set", h.vethHost, "up");
            run("ip", "netns", "exec", h.ns, "ip", "addr", "add", h.nsIp + "/30", "dev", peer);
            run("ip", "netns", "exec", h.ns, "ip", "link", "set", peer, "up");
            run("ip", "netns", "exec", h.ns, "ip", "link", "set", "lo", "up");
            return h;
        } catch (RuntimeException e) {
            h.close();
            throw e;
        }
    }

    /** COMMAND run inside the namespace (not waited for). */
    Process start(List<String> command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        argv.addAll(command);
        return new ProcessBuilder(argv).redirectErrorStream(true).start();
    }

    private static void run(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (String[] argv : new String[][] {{"ip", "netns", "del", ns}, {"ip", "link", "del", vethHost}}) {
            try {
                new ProcessBuilder(argv).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                // nothing to remove
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
