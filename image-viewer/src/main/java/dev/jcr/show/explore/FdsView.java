package dev.jcr.show.explore;

import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FileEntry;
import dev.jcr.image.proto.FsEntry;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.show.model.Dump;
import dev.jcr.show.model.FileNames;
import dev.jcr.show.model.Tasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code x DIR fds}: the open fds of every process with what they point at, then cwd and root. */
public record FdsView(List<Process> processes) {

    /** One fd: its number, kind, open flags, position (regular files), name, and close-on-exec. */
    public record Fd(int fd, String type, int fileId, String flags, Long pos, boolean cloexec, String name) {
    }

    public record Process(int pid, String comm, List<Fd> fds, String cwd, String root) {
    }

    public static FdsView of(Dump dump) {
        List<Process> out = new ArrayList<>();
        for (PstreeEntry p : dump.processes()) {
            int pid = p.getPid();
            List<Fd> fds = new ArrayList<>();
            for (FdinfoEntry e : dump.fds(pid)) {
                fds.add(fd(dump, e));
            }
            Optional<FsEntry> fs = dump.fs(pid);
            out.add(new Process(pid, Tasks.comm(dump.core(pid)), List.copyOf(fds),
                    fs.map(f -> dump.names().path(f.getCwdId())).orElse(null),
                    fs.map(f -> dump.names().path(f.getRootId())).orElse(null)));
        }
        return new FdsView(List.copyOf(out));
    }

    /** The view of one fd entry of a dump (used by diff too). */
    public static Fd fd(Dump dump, FdinfoEntry e) {
        Optional<FileEntry> f = dump.file(e.getId());
        String flags = "";
        Long pos = null;
        if (f.isPresent() && f.get().hasReg()) {
            flags = FileNames.openFlags(f.get().getReg().getFlags());
            pos = f.get().getReg().getPos();
        } else if (f.isPresent() && f.get().hasMemfd()) {
            flags = FileNames.openFlags(f.get().getMemfd().getFlags());
            pos = f.get().getMemfd().getPos();
        }
        // fdinfo.flags holds the fd flags (F_GETFD): bit 0 is FD_CLOEXEC.
        return new Fd(e.getFd(), e.getType().name().toLowerCase(java.util.Locale.ROOT), e.getId(), flags, pos,
                (e.getFlags() & 1) != 0, dump.names().of(e.getType(), e.getId()));
    }
}
