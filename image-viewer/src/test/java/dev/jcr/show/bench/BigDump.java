package dev.jcr.show.bench;

import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageDirWriter;
import dev.jcr.image.ImageKind;
import dev.jcr.image.PagesWriter;
import dev.jcr.image.ProcessMemory;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.image.proto.VmaEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes large image directories for the viewer benchmark (bench/viewer.sh) until jcr's own dumper
 * can make them from a live process: a copy of a real one-process CRIU dump whose process gains an
 * anonymous mapping of N MiB, 255 of every 256 pages dumped with pseudo-random contents (pagemap + pages written
 * with jcr's image library).
 *
 * <pre>
 * BigDump make VECTOR_DIR OUT_DIR MIB      a dump with MIB extra MiB of dumped memory
 * BigDump change DIR PAGES                 overwrite 8 bytes in PAGES pages spread over the big mapping
 * </pre>
 */
public final class BigDump {

    static final long BASE = 0x600000000000L;

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("make")) {
            make(Path.of(args[1]), Path.of(args[2]), Long.parseLong(args[3]));
        } else if (args.length == 3 && args[0].equals("change")) {
            change(Path.of(args[1]), Long.parseLong(args[2]));
        } else {
            System.err.println("usage: BigDump make VECTOR_DIR OUT_DIR MIB | change DIR PAGES");
            System.exit(2);
        }
    }

    static void make(Path vector, Path out, long mib) throws IOException {
        ImageDir src = ImageDir.open(vector);
        List<PstreeEntry> tree = src.readAll(ImageKind.PSTREE, null, PstreeEntry.class);
        int pid = tree.get(0).getPid();
        long pages = mib * 256;
        try (ImageDirWriter w = ImageDirWriter.create(out); ProcessMemory mem = ProcessMemory.open(vector, pid)) {
            String pagemap = ImageKind.PAGEMAP.fileName(pid);
            String pagesFile = mem.pagesFile().getFileName().toString();
            try (Stream<Path> s = Files.list(vector)) {
                for (Path f : s.sorted().toList()) {
                    String n = f.getFileName().toString();
                    if (n.equals(pagemap) || n.equals(pagesFile) || n.equals(ImageKind.MM.fileName(pid))) {
                        continue;
                    }
                    try (OutputStream o = w.newFile(n)) {
                        Files.copy(f, o);
                    }
                }
            }
            MmEntry mm = src.readSingle(ImageKind.MM, pid, MmEntry.class);
            List<VmaEntry> vmas = new ArrayList<>(mm.getVmasList());
            int at = (int) vmas.stream().filter(v -> Long.compareUnsigned(v.getStart(), BASE) < 0).count();
            vmas.add(at, VmaEntry.newBuilder().setStart(BASE).setEnd(BASE + pages * 4096).setPgoff(0).setShmid(0)
                    .setProt(3).setFlags(0x22).setStatus(0x201).setFd(-1).build());
            w.writeSingle(ImageKind.MM, pid, mm.toBuilder().clearVmas().addAllVmas(vmas).build());
            try (PagesWriter pw = w.openPages(pid, mem.pagesId());
                 FileChannel old = FileChannel.open(mem.pagesFile(), StandardOpenOption.READ)) {
                // pages go in address order: the dump's own runs below the new mapping, the mapping, the rest
                for (ProcessMemory.Run r : mem.runs()) {
                    if (r.present() && Long.compareUnsigned(r.vaddr(), BASE) < 0) {
                        pw.addPages(r.vaddr(), r.flags(), old, r.pagesOffset(), r.nrPages() * 4096);
                    }
                }
                ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
                long x = 0x9E3779B97F4A7C15L;
                // one page in 256 is left out (not resident), so the pagemap has a run per MiB as
                // CRIU's often does; the rest is dumped
                for (long done = 0; done < pages; done += 256) {
                    chunk.clear().limit(255 * 4096);
                    while (chunk.hasRemaining()) {
                        x ^= x << 13;
                        x ^= x >>> 7;
                        x ^= x << 17;
                        chunk.putLong(x);
                    }
                    chunk.flip();
                    pw.addPages(BASE + done * 4096, PagesWriter.PE_PRESENT, chunk);
                }
                for (ProcessMemory.Run r : mem.runs()) {
                    if (r.present() && Long.compareUnsigned(r.vaddr(), BASE) >= 0) {
                        pw.addPages(r.vaddr(), r.flags(), old, r.pagesOffset(), r.nrPages() * 4096);
                    }
                }
            }
            w.commit();
        }
    }

    static void change(Path dir, long count) throws IOException {
        ImageDir d = ImageDir.open(dir);
        int pid = d.readAll(ImageKind.PSTREE, null, PstreeEntry.class).get(0).getPid();
        long pos;
        long pages;
        Path file;
        try (ProcessMemory mem = ProcessMemory.open(dir, pid)) {
            List<ProcessMemory.Run> big = mem.runs().stream().filter(r -> r.vaddr() >= BASE && r.vaddr() < BASE + (1L << 40)).toList();
            pos = big.get(0).pagesOffset();
            pages = big.stream().mapToLong(ProcessMemory.Run::nrPages).sum();
            file = mem.pagesFile();
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long step = Math.max(1, pages / count);
            for (long i = 0; i < count; i++) {
                ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), pos + i * step * 4096 + 128);
            }
        }
    }
}
