package dev.jcr.app.repl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The java command line that runs jcr's Main in a separate JVM with the test's class path. */
final class JcrProcess {

    private JcrProcess() {
    }

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:-UsePerfData"); // never remove a dumped JVM's perf-data file (see bin/_launch)
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.jcr.app.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

}
