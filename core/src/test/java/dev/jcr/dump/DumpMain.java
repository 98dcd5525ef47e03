package dev.jcr.dump;

import java.nio.file.Path;

/** jcr's dump engine in a process of its own, printing each phase: a test kills it mid-dump. */
public final class DumpMain {

    private DumpMain() {
    }

    public static void main(String[] args) {
        DumpResult r = new DumpEngine().dump(Integer.parseInt(args[0]), DumpOptions.to(Path.of(args[1])), new DumpListener() {
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
