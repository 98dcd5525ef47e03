package dev.jcr.app.repl;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The placeholders {@code every} fills in for each run: {@code {n}} (1, 2, 3 …, skipping numbers
 * whose path already exists) and {@code {time}} (local time, yyyyMMdd-HHmmss). The words that
 * contain one name what each run produces — usually an image directory like
 * {@code /ckpt/job-{n}} or {@code --images-dir=/ckpt/job-{n}} — and only those are ever pruned.
 */
final class Placeholders {

    static final String N = "{n}";
    static final String TIME = "{time}";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final List<String> template;

    Placeholders(List<String> template) {
        this.template = List.copyOf(template);
    }

    boolean any() {
        return template.stream().anyMatch(Placeholders::hasPlaceholder);
    }

    boolean usesN() {
        return template.stream().anyMatch(w -> w.contains(N));
    }

    static boolean hasPlaceholder(String word) {
        return word.contains(N) || word.contains(TIME);
    }

    List<String> expand(long n, LocalDateTime now) {
        List<String> words = new ArrayList<>(template.size());
        for (String w : template) {
            words.add(w.replace(N, Long.toString(n)).replace(TIME, STAMP.format(now)));
        }
        return words;
    }

    /** The paths the words with a placeholder name, after expansion with N and NOW. */
    List<Path> paths(long n, LocalDateTime now) {
        List<Path> paths = new ArrayList<>();
        List<String> expanded = expand(n, now);
        for (int i = 0; i < template.size(); i++) {
            if (hasPlaceholder(template.get(i))) {
                pathOf(expanded.get(i)).ifPresent(paths::add);
            }
        }
        return paths;
    }

    private static Optional<Path> pathOf(String word) {
        String text = word;
        if (word.startsWith("-")) {
            int eq = word.indexOf('=');
            if (eq < 0) {
                return Optional.empty(); // an option name, not a path
            }
            text = word.substring(eq + 1);
        }
        try {
            return text.isEmpty() ? Optional.empty() : Optional.of(Path.of(text).toAbsolutePath().normalize());
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }
}
