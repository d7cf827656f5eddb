package io.ferrite.core.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rewrite's key ledger agrees with a HashSet, across growth, databases and similar keys. */
class KeySetTest {
    @Test
    void agreesWithAHashSet() {
        KeySet set = new KeySet();
        Set<String> model = new HashSet<>();
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            int db = random.nextInt(3);
            String key = "k" + random.nextInt(150_000);
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            if (random.nextBoolean()) {
                assertThat(set.add(db, bytes)).isEqualTo(model.add(db + ":" + key));
            } else {
                assertThat(set.contains(db, bytes)).isEqualTo(model.contains(db + ":" + key));
            }
        }
        assertThat(set.contains(0, new byte[0])).isFalse();
        assertThat(set.add(0, new byte[0])).isTrue();
        assertThat(set.contains(0, new byte[0])).isTrue();
        assertThat(set.contains(1, new byte[0])).isFalse();
    }
}
