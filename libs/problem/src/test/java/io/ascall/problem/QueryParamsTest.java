package io.ascall.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueryParamsTest {

    @Test
    void pagesFromTheFirstToTheDeepestAreServed() {
        assertEquals(0, QueryParams.page("0"));
        assertEquals(1_000_000, QueryParams.page("1000000"));
        assertEquals(100, QueryParams.size("100", 100));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1000001", "2147483647", "2147483648", "42949673", "ten", "", " 1", "1.0"})
    void aPageOutOfRangeOrNoWholeNumberIs400(String page) {
        ProblemException refused = assertThrows(ProblemException.class, () -> QueryParams.page(page));
        assertEquals(400, refused.problem().toResponse().getStatus());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "101", "2147483647"})
    void aSizeOutOfRangeIs400(String size) {
        assertThrows(ProblemException.class, () -> QueryParams.size(size, 100));
    }

    @Test
    void noPageSizeMayOverflowTheOffset() {
        assertThrows(IllegalArgumentException.class, () -> QueryParams.size("1", 10_000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"P106751991167300D", "PT9223372036854775807S", "P3651D", "-PT1M", "PT", "10 minutes"})
    void aDurationOutOfRangeOrUnreadableIs400(String duration) {
        assertThrows(ProblemException.class, () -> QueryParams.duration("stuckFor", duration));
    }

    @Test
    void durationsUpToTenYearsAreRead() {
        assertEquals(Duration.ofMinutes(10), QueryParams.duration("stuckFor", "PT10M"));
        assertEquals(Duration.ZERO, QueryParams.duration("stuckFor", "PT0S"));
        assertEquals(Duration.ofDays(3650), QueryParams.duration("stuckFor", "P3650D"));
    }
}
