package dev.jcr.restore;

import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageEntry;
import dev.jcr.image.ImageKind;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.resource.FdUse;
import dev.jcr.resource.FileImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The images of one restore as the file drivers see them ({@link FileImages}): files.img by id, any
 * image read at most once, the fd tables of the planned processes, and what drivers derive from their
 * images at plan time, kept for the restore that follows.
 */
final class PlanImages implements FileImages {

    private final ImageDir dir;
    private final Map<Integer, FileEntry> files;
    private final Map<String, List<ImageEntry>> reads = new HashMap<>();
    private final Map<Object, Object> derived = new HashMap<>();
    private final Map<Integer, Map<Integer, Integer>> fdTables = new LinkedHashMap<>();
    private final Map<Integer, List<FdUse>> holders = new HashMap<>();
    private final java.util.Set<String> options;

    PlanImages(ImageDir dir, Map<Integer, FileEntry> files, java.util.Set<String> options) {
        this.dir = dir;
        this.files = Map.copyOf(files);
        this.options = options;
    }

    @Override
    public boolean option(String option) {
        return options.contains(option);
    }

    /** Records process PID's fds (processes in restore order). */
    void addProcess(int pid, List<FdinfoEntry> fds) {
        Map<Integer, Integer> table = new LinkedHashMap<>();
        for (FdinfoEntry fd : fds) {
            table.put(fd.getFd(), fd.getId());
            holders.computeIfAbsent(fd.getId(), k -> new ArrayList<>()).add(new FdUse(pid, fd.getFd()));
        }
        fdTables.put(pid, Collections.unmodifiableMap(table));
    }

    Map<Integer, FileEntry> files() {
        return files;
    }

    @Override
    public FileEntry file(int id) {
        return files.get(id);
    }

    @Override
    public List<ImageEntry> read(ImageKind kind, Object id) {
        String key = kind + "/" + id;
        List<ImageEntry> es = reads.get(key);
        if (es == null) {
            es = dir.read(kind, id);
            reads.put(key, es);
        }
        return es;
    }

    @Override
    public Path imageFile(ImageKind kind, Object id) {
        return dir.file(kind, id);
    }

    @Override
    public List<FdUse> holders(int fileId) {
        return holders.getOrDefault(fileId, List.of());
    }

    @Override
    public java.util.Set<Integer> pids() {
        return java.util.Collections.unmodifiableSet(fdTables.keySet());
    }

    @Override
    public Map<Integer, Integer> fdTable(int pid) {
        return fdTables.getOrDefault(pid, Map.of());
    }

    @Override
    public <T> T derived(Object key, Supplier<T> make) {
        return memo(derived, key, make);
    }

    /** MEMO's value for KEY, made by MAKE on first use (not computeIfAbsent: MAKE may memoise other values itself). */
    @SuppressWarnings("unchecked")
    static <T> T memo(Map<Object, Object> memo, Object key, Supplier<T> make) {
        Object v = memo.get(key);
        if (v == null) {
            v = make.get();
            memo.put(key, v);
        }
        return (T) v;
    }
}
