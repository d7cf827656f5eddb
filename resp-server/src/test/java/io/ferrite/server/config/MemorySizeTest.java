package io.ferrite.server.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class MemorySizeTest {

    @ParameterizedTest
    @CsvSource({
            "0, 0", "100, 100", "100b, 100", "1k, 1000", "1kb, 1024", "1K, 1000", "1KB, 1024",
            "5m, 5000000", "5mb, 5242880", "1g, 1000000000", "1gb, 1073741824", "1Gb, 1073741824",
            "512mb, 536870912", "8589934592gb, 9223372036854775807"
    })
    void parsesLikeMemtoull(String text, String bytes) {
        long expected = Long.parseLong(bytes.equals("9223372036854775807") ? "-1" : bytes);
        assertThat(MemorySize.parse(text)).isEqualTo(expected); // the last case overflows: refused
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1tb", "1.5gb", "gb1", "1 gb", "1kbb", "99999999999999999999"})
    void refusesWhatMemtoullRefuses(String text) {
        assertThat(MemorySize.parse(text)).isEqualTo(-1);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "1024, 1kb", "1536, 1536", "1048576, 1mb", "1073741824, 1gb",
            "536870912, 512mb", "3221225472, 3gb", "1000, 1000"})
    void formatsLikeConfigRewrite(long bytes, String text) {
        assertThat(MemorySize.format(bytes)).isEqualTo(text);
    }
}
