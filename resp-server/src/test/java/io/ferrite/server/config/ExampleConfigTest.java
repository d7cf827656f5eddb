package io.ferrite.server.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps ferrite.conf.example (at the repository root) loadable and complete. */
class ExampleConfigTest {
    private static final Path EXAMPLE = Path.of("..", "ferrite.conf.example");

    @Test
    void loadsAndEqualsTheDefaults() {
        ServerConfig config = new ServerConfig();
        new ConfigFileParser(config).load(Optional.of(EXAMPLE), "");
        for (Directive<?> directive : config.directives()) {
            assertThat(config.isDefault(directive)).as(directive.name()).isTrue();
        }
    }

    @Test
    void documentsEveryDirective() throws IOException {
        List<String> lines = Files.readAllLines(EXAMPLE);
        for (Directive<?> directive : Directives.ALL) {
            int at = -1;
            for (int i = 0; i < lines.size() && at < 0; i++) {
                if (lines.get(i).matches("#? ?" + Pattern.quote(directive.name()) + " .*")) {
                    at = i;
                }
            }
            assertThat(at).as("%s appears as a directive line", directive.name()).isPositive();
            assertThat(lines.get(at - 1)).as("%s is explained by the comment above it", directive.name()).startsWith("#");
        }
    }
}
