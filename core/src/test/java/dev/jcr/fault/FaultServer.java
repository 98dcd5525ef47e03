package dev.jcr.fault;

import dev.jcr.dump.DumpEngine;
import dev.jcr.dump.DumpListener;
import dev.jcr.dump.DumpOptions;
import dev.jcr.restore.RestoreEngine;
import dev.jcr.restore.RestoreOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

/**
 * jcr's engines in a JVM of their own that warms up first and then runs one dump or restore with a
 * fault armed, for the kill runs of the fault loops. Why: a fresh JVM spends most of a short dump
 * loading and interpreting classes (over a second for the tree check of a small process), so the
 * loop starts the next server while it checks the target of the previous run. The fault, the
 * engines and the kernel's detach on death are the same as in {@code jcr dump}; only the classes are
 * already loaded.
 *
 * <p>Protocol on stdin/stdout: {@code warm PID|DIR} (check the tree of PID, or plan the images in DIR,
 * ignoring the answer) → {@code WARM}; then {@code dump SPEC PID DIR}, {@code restore SPEC DIR} or
 * {@code restore-ns SPEC DIR} (into a new PID namespace) →
 * {@code DONE} (the point was not reached) or the JVM dies at the point. A dump may name a PARENT after
 * DIR: it is then the last dump of a chain ({@code --prev-images-dir PARENT --track-mem}).
 */
public final class FaultServer {

    private FaultServer() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String[] warm = in.readLine().split(" ");
        try {
            if (warm[1].startsWith("/")) {
                RestoreEngine.plan(Path.of(warm[1]));
            } else {
                new DumpEngine().check(Integer.parseInt(warm[1]), Set.of());
            }
        } catch (RuntimeException e) {
            // warming only: a refusal (pids in use …) loads the classes all the same
        }
        System.out.println("WARM");
        System.out.flush();
        String line = in.readLine();
        if (line == null) {
            return;
        }
        String[] cmd = line.split(" ");
        Faults.arm(cmd[1]);
        if (cmd[0].equals("dump")) {
            DumpOptions o = DumpOptions.to(Path.of(cmd[3]));
            if (cmd.length > 4) {
                o = o.withParent(cmd[4]).withTrackMem(true); // the last dump of a chain, tracking kept
            }
            new DumpEngine().dump(Integer.parseInt(cmd[2]), o, DumpListener.NONE);
        } else {
            new RestoreEngine(null).restore(RestoreOptions.of(Path.of(cmd[2])).detached()
                    .withPidNamespace(cmd[0].equals("restore-ns")));
        }
        System.out.println("DONE");
        System.out.flush();
    }
}
