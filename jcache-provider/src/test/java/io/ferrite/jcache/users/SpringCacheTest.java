package io.ferrite.jcache.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.jcache.FerriteCachingProvider;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import io.ferrite.jcache.remote.ServerProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Spring's cache abstraction ({@code @Cacheable} over {@link JCacheCacheManager}) on Ferrite's
 * provider, embedded and on a Ferrite server.
 */
class SpringCacheTest {
    /** The cache manager URI of the running test. */
    private static volatile URI uri;

    /** A service whose answers Spring caches. */
    public static class Greeter {
        private final AtomicInteger calls = new AtomicInteger();

        /** Read through a method: the bean is a proxy whose own fields are not the target's. */
        public int calls() {
            return calls.get();
        }

        @Cacheable("greetings")
        public String greet(String name) {
            calls.incrementAndGet();
            return "hello " + name;
        }

        @CacheEvict("greetings")
        public void forget(String name) {
        }
    }

    @Configuration
    @EnableCaching
    static class Config {
        @Bean(destroyMethod = "close")
        CacheManager jcacheManager() {
            CacheManager manager = new FerriteCachingProvider().getCacheManager(uri,
                    SpringCacheTest.class.getClassLoader());
            manager.createCache("greetings", new MutableConfiguration<>());
            return manager;
        }

        @Bean
        org.springframework.cache.CacheManager cacheManager(CacheManager jcacheManager) {
            return new JCacheCacheManager(jcacheManager);
        }

        @Bean
        Greeter greeter() {
            return new Greeter();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "remote"})
    void cacheableMethodsAreAnsweredFromTheCacheAndEvictionsReachIt(String mode) {
        try (ServerProcess server = mode.equals("remote") ? ServerProcess.start() : null) {
            uri = URI.create(server != null ? server.uri() : "ferrite:spring-test");
            cacheableMethods();
        }
    }

    private void cacheableMethods() {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(Config.class)) {
            Greeter greeter = context.getBean(Greeter.class);
            assertThat(greeter.greet("bob")).isEqualTo("hello bob");
            assertThat(greeter.greet("bob")).isEqualTo("hello bob");
            assertThat(greeter.calls()).isEqualTo(1);

            javax.cache.Cache<Object, Object> cache = context.getBean(CacheManager.class).getCache("greetings");
            assertThat(cache.get("bob")).isEqualTo("hello bob");

            greeter.forget("bob");
            assertThat(cache.containsKey("bob")).isFalse();
            assertThat(greeter.greet("bob")).isEqualTo("hello bob");
            assertThat(greeter.calls()).isEqualTo(2);
        }
    }
}
