package dev.rolloutcontroller.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rolloutcontroller.domain.FieldError;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageLimitTest {

    @ParameterizedTest(name = "limit {0} -> {1}")
    @CsvSource({",    20", "1,   1", "100, 100", "37,  37"})
    void shouldTakeTheDefaultOrALimitWithinRange(Integer limit, int expected) {
        assertEquals(expected, PageLimit.of(limit, 20, 100));
    }

    @ParameterizedTest(name = "limit {0} is refused")
    @CsvSource({"0", "-1", "101"})
    void shouldRefuseALimitOutsideRangeNamingTheField(int limit) {
        ServiceException refused = assertThrows(ServiceException.class, () -> PageLimit.of(limit, 20, 100));
        assertEquals(ServiceException.Kind.INVALID, refused.kind());
        assertEquals(List.of(new FieldError("limit", "between 1 and 100")), refused.errors());
    }
}
