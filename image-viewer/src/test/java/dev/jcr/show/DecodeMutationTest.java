package dev.jcr.show;

import static org.junit.jupiter.api.Assertions.*;

import dev.jcr.image.BadImageException;
import dev.jcr.image.ImageReader;
import dev.jcr.image.Vectors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of real images through the whole decode path (reader, JSON conversion with
 * extras, re-encode): a clean BadImageException or a successful decode every time, and whatever
 * decodes re-encodes without error.
 */
class DecodeMutationTest {

    @Test
    void mutatedImagesDecodeOrFailCleanly() throws Exception {
        Random rnd = new Random(1125);
        int cases = 0;
        int decoded = 0;
        for (Path f : Vectors.images()) {
            byte[] orig = Files.readAllBytes(f);
            for (int i = 0; i < 30; i++) {
                byte[] m = mutate(orig, rnd);
                cases++;
                try (ImageReader r = ImageReader.of(f.getFileName().toString(), Channels.newChannel(new ByteArrayInputStream(m)), m.length)) {
                    var json = ImageJson.decode(r, rnd.nextBoolean(), false);
                    decoded++;
                    ImageJson.encode(Crit.JSON.readTree(json.toString()), new ByteArrayOutputStream());
                } catch (BadImageException | BadJsonException expected) {
                    // BadJson: a mutation can drop a required field's companion blob length etc.
                } catch (Throwable t) {
                    throw new AssertionError("case " + cases + " (" + f + ") threw " + t, t);
                }
            }
        }
        assertTrue(cases >= 1500, "cases: " + cases);
        assertTrue(decoded > 0 && decoded < cases, "both outcomes occur: " + decoded + " of " + cases);
    }

    private static byte[] mutate(byte[] orig, Random rnd) {
        byte[] m = orig.clone();
        switch (rnd.nextInt(3)) {
            case 0 -> m = Arrays.copyOf(orig, rnd.nextInt(orig.length + 1));
            case 1 -> {
                for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                    m[rnd.nextInt(m.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            default -> {
                if (m.length >= 12) {
                    ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putInt(8, rnd.nextInt(Math.max(1, m.length)));
                }
            }
        }
        return m;
    }
}
