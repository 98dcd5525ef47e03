package dev.jcr.dump;

import dev.jcr.image.BadImageException;
import dev.jcr.image.ImageDir;
import dev.jcr.image.ImageIoException;
import dev.jcr.image.ImageKind;
import dev.jcr.image.PageChain;
import dev.jcr.image.PageRanges;
import dev.jcr.image.proto.InventoryEntry;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The previous dump of an incremental one ({@code --prev-images-dir}): where it is, its run id (which
 * the tracking records must name for its pages to be trusted) and, per process, which pages it holds
 * through its own chain of parents. Opened and checked before the tree is frozen.
 */
final class ParentImages {

    private final Path dir;
    private final String link;
    private final String runId;
    private final Map<Integer, PageRanges> pages = new HashMap<>();

    private ParentImages(Path dir, String link, String runId) {
        this.dir = dir;
        this.link = link;
        this.runId = runId;
    }

    /**
     * The parent named LINK for a new image directory TARGET: as CRIU does, LINK is the text of the
     * {@code parent} symlink, so a relative one is relative to TARGET itself ({@code ../ck1}).
     */
    static ParentImages open(Path target, String link) {
        Path p = Path.of(link);
        Path dir = (p.isAbsolute() ? p : target.toAbsolutePath().resolve(p)).normalize();
        if (!Files.isDirectory(dir)) {
            throw ImageIoException.of(dir, "open parent image directory (--prev-images-dir " + link + ", relative to "
                    + target + ")", new NoSuchFileException(dir.toString()));
        }
        ImageDir images = ImageDir.open(dir);
        PageChain.lineage(dir);
        InventoryEntry inv = images.readSingle(ImageKind.INVENTORY, null, InventoryEntry.class);
        if (!inv.hasDumpCriuRunId() || inv.getDumpCriuRunId().isEmpty()) {
            throw new BadImageException(images.file(ImageKind.INVENTORY, null).toString(), -1,
                    "parent images without a run id (dump_criu_run_id): not a dump jcr can continue from");
        }
        return new ParentImages(dir, link, inv.getDumpCriuRunId());
    }

    /** The parent LINK describes, reached as LINK_TEXT (it lives where this dump cannot read it). */
    static ParentImages of(ChainLink link, String linkText) {
        ParentImages p = new ParentImages(null, linkText, link.runId());
        p.pages.putAll(link.pages());
        return p;
    }

    Path dir() {
        return dir;
    }

    /** The text of the new directory's {@code parent} link. */
    String link() {
        return link;
    }

    String runId() {
        return runId;
    }

    /** The pages PID has in the parent (through its chain); none when the parent did not dump it. */
    PageRanges pages(int pid) {
        return pages.computeIfAbsent(pid, p -> dir == null ? PageRanges.EMPTY : PageChain.pagesIn(dir, p));
    }
}
