package io.ferrite.jcache.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.jcache.FerriteCachingProvider;
import jakarta.persistence.Cacheable;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import org.hibernate.SessionFactory;
import org.hibernate.annotations.Cache;
import org.hibernate.annotations.CacheConcurrencyStrategy;
import org.hibernate.cfg.Configuration;
import org.hibernate.stat.Statistics;
import io.ferrite.jcache.remote.ServerProcess;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;

/**
 * Hibernate ORM's second-level cache (hibernate-jcache) on Ferrite's provider, embedded and on
 * a Ferrite server (the provider's default URI, as Hibernate uses it), entities in an in-memory H2.
 */
class HibernateSecondLevelCacheTest {
    /** A cached entity. */
    @Entity(name = "Book")
    @Cacheable
    @Cache(usage = CacheConcurrencyStrategy.READ_WRITE)
    public static class Book {
        @Id
        Long id;
        String title;

        public Book() {
        }

        Book(Long id, String title) {
            this.id = id;
            this.title = title;
        }
    }

    private static SessionFactory sessionFactory() {
        return new Configuration()
                .addAnnotatedClass(Book.class)
                .setProperty("hibernate.connection.url", "jdbc:h2:mem:books;DB_CLOSE_DELAY=-1")
                .setProperty("hibernate.connection.username", "sa")
                .setProperty("hibernate.hbm2ddl.auto", "create-drop")
                .setProperty("hibernate.cache.use_second_level_cache", "true")
                .setProperty("hibernate.cache.region.factory_class", "jcache")
                .setProperty("hibernate.javax.cache.provider", FerriteCachingProvider.class.getName())
                .setProperty("hibernate.javax.cache.missing_cache_strategy", "create")
                .setProperty("hibernate.generate_statistics", "true")
                .buildSessionFactory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"embedded", "remote"})
    void entitiesLoadedOnceAreServedFromTheSecondLevelCache(String mode) {
        try (ServerProcess server = mode.equals("remote") ? ServerProcess.start() : null) {
            if (server != null) {
                System.setProperty(FerriteCachingProvider.DEFAULT_URI_PROPERTY, server.uri());
            }
            try {
                secondLevelCache();
                if (server != null) {
                    try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                        assertThat(jedis.dbSize()).isPositive(); // the entries are the server's keys
                    }
                }
            } finally {
                System.clearProperty(FerriteCachingProvider.DEFAULT_URI_PROPERTY);
            }
        }
    }

    private void secondLevelCache() {
        try (SessionFactory factory = sessionFactory()) {
            factory.inTransaction(session -> session.persist(new Book(1L, "Dune")));
            Statistics statistics = factory.getStatistics();
            statistics.clear();

            String first = factory.fromTransaction(session -> session.find(Book.class, 1L).title);
            String second = factory.fromTransaction(session -> session.find(Book.class, 1L).title);

            assertThat(first).isEqualTo("Dune");
            assertThat(second).isEqualTo("Dune");
            assertThat(statistics.getSecondLevelCacheHitCount()).isGreaterThanOrEqualTo(1);
            assertThat(statistics.getPrepareStatementCount()).isZero(); // neither find reached the database

            factory.inTransaction(session -> session.find(Book.class, 1L).title = "Dune Messiah");
            String updated = factory.fromTransaction(session -> session.find(Book.class, 1L).title);
            assertThat(updated).isEqualTo("Dune Messiah");
        }
    }
}
