package dev.jcr.image;

import dev.jcr.JcrException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

/** Reading or writing an image file or directory failed for a reason outside the image's content. */
public final class ImageIoException extends JcrException {

    public ImageIoException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Wraps an I/O failure on {@code path} with a one-line reason a person understands. */
    public static ImageIoException of(Object path, String action, IOException e) {
        String why;
        if (e instanceof NoSuchFileException) {
            why = "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            why = "permission denied";
        } else if (e instanceof FileAlreadyExistsException) {
            why = "already exists";
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new ImageIoException("cannot " + action + " " + path + ": " + why, e);
    }

    @Override
    public Kind kind() {
        return Kind.IO;
    }
}
