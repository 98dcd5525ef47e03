package dev.jcr.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every test of every module decides not to run only through {@link Need}, which turns a missing
 * tool or file into a failure under bin/test: a test calling JUnit's assumptions, aborting, or
 * disabling itself directly would be a skip that no rule sees.
 */
class NoStraySkipsTest {

    private static final Pattern STRAY = Pattern.compile(
            "\\bAssumptions\\b|\\bassume(True|False|ingThat)\\s*\\(|TestAbortedException|@Disabled\\b"
                    + "|org\\.junit\\.jupiter\\.api\\.condition");

    @Test
    void noTestSourceSkipsExceptThroughNeed() throws IOException {
        Path project = Path.of("").toAbsolutePath().getParent();   // tests run in core/; its parent is the project
        assertTrue(Files.exists(project.resolve("pom.xml")) && Files.isDirectory(project.resolve("core")), project.toString());
        List<String> stray = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.walk(project, 12)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/test/java/")
                    && !p.toString().contains("/target/")).toList()) {
                files++;
                if (f.getFileName().toString().equals("Need.java") || f.getFileName().toString().equals("NoStraySkipsTest.java")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (STRAY.matcher(lines.get(i)).find()) {
                        stray.add(project.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertTrue(files > 100, "found the test sources of every module: " + files);
        assertEquals(List.of(), stray, "skip through dev.jcr.testing.Need (tool, file, environment, knownGap)");
    }
}
