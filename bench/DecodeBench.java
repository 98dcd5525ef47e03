// In-process timing of jcr-show's decode (JVM start excluded), for bench/show.sh.
// Run with the source launcher: java -cp app/target/jcr.jar bench/DecodeBench.java MODE ARGS...
//   gen FILE N            write a synthetic pagemap image with N one-page entries (a fragmented 1 GiB process)
//   time ITER PRETTY FILE...  decode every FILE ITER times after warming up; print mean CPU ms per pass
import dev.jcr.image.ImageKind;
import dev.jcr.image.ImageReader;
import dev.jcr.image.ImageWriter;
import dev.jcr.image.proto.PagemapEntry;
import dev.jcr.image.proto.PagemapHead;
import dev.jcr.show.Colors;
import dev.jcr.show.ImageJson;
import dev.jcr.show.PyJson;
import java.io.BufferedOutputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class DecodeBench {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("gen")) {
            int n = Integer.parseInt(args[2]);
            try (ImageWriter w = ImageWriter.start(ImageKind.PAGEMAP, args[1],
                    new BufferedOutputStream(Files.newOutputStream(Path.of(args[1]))))) {
                w.write(PagemapHead.newBuilder().setPagesId(1).build());
                long va = 0x7f0000000000L;
                for (int i = 0; i < n; i++) {
                    w.write(PagemapEntry.newBuilder().setVaddr(va).setCompatNrPages(0).setFlags(6).setNrPages(1).build());
                    va += 2 * 4096;
                }
            }
            return;
        }
        int iter = Integer.parseInt(args[1]);
        boolean pretty = Boolean.parseBoolean(args[2]);
        List<Path> files = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            files.add(Path.of(args[i]));
        }
        Writer sink = Writer.nullWriter();
        for (int i = 0; i < Math.max(5, iter); i++) {   // warm-up as long as the timed run: let the JIT finish
            pass(files, pretty, sink);
        }
        // CPU time of this thread: robust on a loaded machine, comparable to Python's process_time.
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < iter; i++) {
            pass(files, pretty, sink);
        }
        System.out.printf("%.3f%n", (mx.getCurrentThreadCpuTime() - t0) / 1e6 / iter);
    }

    static void pass(List<Path> files, boolean pretty, Writer sink) {
        for (Path f : files) {
            try (ImageReader r = ImageReader.open(f)) {
                new PyJson(sink, pretty ? 4 : 0, Colors.NONE).write(ImageJson.decode(r, pretty, false));
            }
        }
    }
}
