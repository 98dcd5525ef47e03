package dev.jcr.pageserver;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * A page server in a process of its own (a test starts it inside another network namespace):
 * arguments PORT DIR [--pid-ns] [--token T]; prints "listening on port N", then one line per event.
 */
public final class PageServerMain {

    private PageServerMain() {
    }

    public static void main(String[] args) {
        boolean pidNs = false;
        String token = null;
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--pid-ns")) {
                pidNs = true;
            } else if (args[i].equals("--token")) {
                token = args[++i];
            }
        }
        PrintWriter out = new PrintWriter(System.out, true);
        try (PageServer s = new PageServer(Integer.parseInt(args[0]), Path.of(args[1]), token, pidNs, out)) {
            out.println("listening on port " + s.port());
            s.serve();
        }
        out.println("SERVED");
    }
}
