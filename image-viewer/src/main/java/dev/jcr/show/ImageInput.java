package dev.jcr.show;

import dev.jcr.image.ImageReader;
import java.nio.channels.Channels;
import java.nio.file.Path;

/** Opens the image a command reads: a named file, or standard input when none is named. */
final class ImageInput {

    private ImageInput() {
    }

    static ImageReader open(Path file, ShowMain root) {
        if (file == null || file.toString().equals("-")) {
            return ImageReader.of("<stdin>", Channels.newChannel(root.stdin), -1);
        }
        return ImageReader.open(file);
    }
}
