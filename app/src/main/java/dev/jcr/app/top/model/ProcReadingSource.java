package dev.jcr.app.top.model;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * TEMPORARY data source until core's process model and analyzer land on main: reads the columns from /proc
 * itself and reports every verdict as UNKNOWN ("analyzer not in this build"), never a guessed verdict.
 * To be replaced by the adapter over dev.jcr.proc / dev.jcr.resource.
 */
public final class ProcReadingSource implements ProcessSource {

    private final Path proc;
    private final ImageStore images;
    private final Map<Integer, String> users = new HashMap<>();

    public ProcReadingSource(Path proc, ImageStore images) {
        this.proc = proc;
        this.images = images;
    }

    @Override
    public Snapshot scan() {
        List<ProcessRow> rows = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(proc, p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path dir : ds) {
                ProcessRow r = read(dir);
                if (r != null) {
                    rows.add(r);
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Snapshot(Instant.now(), SystemInfo.hostname(), SystemInfo.kernel(), rows, images.count());
    }

    private ProcessRow read(Path dir) {
        try {
            String stat = Files.readString(dir.resolve("stat"));
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            String comm = stat.substring(open + 1, close);
            String[] f = stat.substring(close + 2).split(" ");
            long pid = Long.parseLong(stat.substring(0, open).trim());
            char state = f[0].charAt(0);
            long ppid = Long.parseLong(f[1]);
            int threads = Integer.parseInt(f[17]);
            long rssKiB = Long.parseLong(f[21]) * 4;
            int uid = -1;
            for (String line : Files.readAllLines(dir.resolve("status"))) {
                if (line.startsWith("Uid:")) {
                    uid = Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
                    break;
                }
            }
            byte[] cmd = Files.readAllBytes(dir.resolve("cmdline"));
            String command = new String(cmd, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').strip();
            if (command.isEmpty()) {
                command = "[" + comm + "]";
            }
            return new ProcessRow(pid, ppid, user(uid), state, threads, rssKiB, CrVerdict.UNKNOWN,
                    "the analyzer is not in this build yet", comm, command);
        } catch (IOException | RuntimeException e) {
            return null; // vanished while we looked
        }
    }

    private String user(int uid) {
        return users.computeIfAbsent(uid, SystemInfo::userName);
    }

    @Override
    public ProcessDetails details(long pid) {
        return new ProcessDetails(pid, "?", CrVerdict.UNKNOWN, List.of(new ResourceLine(ResourceGroup.PROCESS,
                "process " + pid, CrVerdict.UNKNOWN, "the analyzer is not in this build yet", "")));
    }
}
