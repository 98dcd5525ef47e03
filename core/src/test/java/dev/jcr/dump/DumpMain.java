package dev.jcr.dump;

import java.nio.file.Path;

/**
 * jcr's dump engine in a process of its own, printing each phase: a test kills it mid-dump.
 * Arguments: PID DIR [--pre-dump] [--prev-images-dir PARENT].
 */
public final class DumpMain {

    private DumpMain() {
    }

    public static void main(String[] args) {
        DumpOptions options = DumpOptions.to(Path.of(args[1]));
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("--pre-dump")) {
                options = options.withPreDump(true);
            } else if (args[i].equals("--prev-images-dir")) {
                options = options.withParent(args[++i]);
            }
        }
        DumpResult r = new DumpEngine().dump(Integer.parseInt(args[0]), options, new DumpListener() {
            @Override
            public void phase(DumpPhase phase) {
                System.out.println("PHASE " + phase);
                System.out.flush();
            }

            @Override
            public void pages(long written, long total) {
                System.out.println("PAGES " + written + " " + total);
                System.out.flush();
            }
        });
        System.out.println(r.summary());
    }
}
