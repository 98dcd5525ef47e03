package dev.jcr.show.bench;

import dev.jcr.show.diff.DiffText;
import dev.jcr.show.diff.ImageDiff;
import dev.jcr.show.explore.ExploreText;
import dev.jcr.show.explore.MemsView;
import dev.jcr.show.explore.RssView;
import dev.jcr.show.model.Dump;
import dev.jcr.show.text.Palette;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * In-JVM timings (JVM start excluded) of {@code x mems}, {@code x rss} and {@code diff} on large
 * dumps, after warm-up; bench/viewer.sh puts them next to whole-command timings of jcr-show and
 * crit. Prints one line per figure: {@code name median_ms}.
 *
 * <pre>ViewerBench DIR_A DIR_B [RUNS]</pre>
 */
public final class ViewerBench {

    public static void main(String[] args) {
        Path a = Path.of(args[0]);
        Path b = Path.of(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ExploreText text = new ExploreText(Palette.NONE);
        time("mems", runs, () -> text.mems(MemsView.of(Dump.open(a))).size());
        time("rss", runs, () -> text.rss(RssView.of(Dump.open(a))).size());
        time("diff", runs, () -> new DiffText(Palette.NONE, 20).render(ImageDiff.between(a, b)).size());
    }

    static void time(String name, int runs, Supplier<Object> work) {
        for (int i = 0; i < 3; i++) {
            work.get(); // warm-up: JIT and page cache
        }
        long[] t = new long[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            work.get();
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        System.out.printf(Locale.ROOT, "%s %.2f%n", name, t[runs / 2] / 1e6);
    }
}
