package dev.rolloutcontroller.support;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Carries the global database resource; any class may name it, all @QuarkusTest classes share it. */
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
public final class PostgresTest {
    private PostgresTest() {
    }
}
