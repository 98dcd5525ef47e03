package dev.jcr.image;

import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import java.util.Optional;

/**
 * One entry of an image as read from disk.
 *
 * @param index   position of the entry in its file (0 is the first, e.g. pagemap's head)
 * @param offset  byte offset of the entry's u32 length prefix in the file
 * @param size    length of the protobuf payload in bytes
 * @param message the decoded entry, or null when the kind has no known message ({@link #raw()} is set)
 * @param raw     the payload as raw protobuf fields when the kind has no known message, else null
 * @param extra   the blob that followed the entry (empty array when the kind has none)
 */
public record ImageEntry(int index, long offset, int size, Message message, UnknownFieldSet raw, byte[] extra) {

    /** The decoded entry, when this kind has a known message. */
    public Optional<Message> decoded() {
        return Optional.ofNullable(message);
    }

    /** The decoded entry cast to its generated class; fails when it is of another type. */
    public <T extends Message> T as(Class<T> type) {
        if (!type.isInstance(message)) {
            throw new IllegalStateException("entry " + index + " is "
                    + (message == null ? "raw" : message.getDescriptorForType().getName()) + ", not " + type.getSimpleName());
        }
        return type.cast(message);
    }
}
