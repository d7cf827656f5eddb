package io.ferrite.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigSyntaxTest {

    @Test
    void splitsLikeSdssplitargs() {
        assertThat(ConfigSyntax.splitArgs("save 900 1")).containsExactly("save", "900", "1");
        assertThat(ConfigSyntax.splitArgs("  dir  \"/var/lib/my dir\"  ")).containsExactly("dir", "/var/lib/my dir");
        assertThat(ConfigSyntax.splitArgs("requirepass 'it\\'s'")).containsExactly("requirepass", "it's");
        assertThat(ConfigSyntax.splitArgs("x \"a\\x41\\n\\\\\"")).containsExactly("x", "aA\n\\");
        assertThat(ConfigSyntax.splitArgs("save \"\"")).containsExactly("save", "");
        assertThat(ConfigSyntax.splitArgs("")).isEmpty();
        assertThat(ConfigSyntax.splitArgs("a \"b")).isNull();
        assertThat(ConfigSyntax.splitArgs("a \"b\"c")).isNull();
        assertThat(ConfigSyntax.splitArgs("a 'b")).isNull();
    }

    @Test
    void quoteRoundTripsThroughSplitArgs() {
        for (String value : List.of("", "plain", "with space", "quote\"inside", "back\\slash", "tab\tnew\nline",
                "ünïcødé", "\u0001\u007f")) {
            String line = "x " + ConfigSyntax.quote(value);
            List<String> args = ConfigSyntax.splitArgs(line);
            assertThat(ConfigSyntax.latin1ToUtf8(args.get(1))).as(line).isEqualTo(value);
        }
        assertThat(ConfigSyntax.quote("a\"b")).isEqualTo("\"a\\\"b\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "-1", "9223372036854775807", "-9223372036854775808"})
    void parsesStrictIntegers(String text) {
        assertThat(ConfigSyntax.parseLong(text)).isEqualTo(Long.parseLong(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "+1", "01", "-0", " 1", "1 ", "1k", "9223372036854775808"})
    void refusesLooseIntegers(String text) {
        assertThat(ConfigSyntax.parseLong(text)).isNull();
    }

    @Test
    void strtollIsLooser() {
        assertThat(ConfigSyntax.parseStrtoll("+5")).isEqualTo(5);
        assertThat(ConfigSyntax.parseStrtoll(" 07")).isEqualTo(7);
        assertThat(ConfigSyntax.parseStrtoll("")).isZero();
        assertThat(ConfigSyntax.parseStrtoll("5x")).isNull();
    }
}
