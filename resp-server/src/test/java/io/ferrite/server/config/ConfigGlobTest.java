package io.ferrite.server.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigGlobTest {

    @ParameterizedTest
    @CsvSource({
            "*, maxmemory, true",
            "max*, maxmemory, true",
            "MAX*, maxmemory, true",
            "*memory*, maxmemory-policy, true",
            "maxmemory, maxmemory-policy, false",
            "maxmemor?, maxmemory, true",
            "maxmemor?, maxmemor, false",
            "[lm]*, maxmemory, true",
            "[^m]*, maxmemory, false",
            "[a-l]*, maxmemory, false",
            "[a-n]axmemory, maxmemory, true",
            "max\\*, max*, true",
            "max\\*, maxx, false",
            "*-*-*, client-output-buffer-limit, true",
            "*a*a*a*a*a*a*a*a*b, aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa, false",
    })
    void matchesRedisGlobs(String pattern, String text, boolean expected) {
        assertThat(ConfigGlob.matches(pattern, text)).isEqualTo(expected);
    }
}
