/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.lake;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** How the statistics of a snapshot's files add up per column. */
class TestLakeStatistics
{
    @Test
    void filesAddUpAndAnUnknownMakesTheColumnUnknown()
    {
        LakeStatistics stats = new LakeStatistics.Builder(List.of("id", "note", "score", "text"))
                .rows(10).column("id", 10, 0L, 5L, 9L).column("note", 10, 10L, null, null).column("score", 10, 2L, 1.5, 3.0).column("text", 10, 1L, null, null)
                .rows(20).column("id", 20, 0L, 1L, 4L).column("note", 20, 5L, "a", "z").column("score", 20, null, 0.5, 2.0).column("text", 20, 0L, null, null)
                .build();
        assertThat(stats.rows()).isEqualTo(30);
        assertThat(stats.columns().get("id")).isEqualTo(new LakeStatistics.Column(Optional.of(0L), Optional.of(1L), Optional.of(9L)));
        // a file of nulls only has no bounds and narrows nothing
        assertThat(stats.columns().get("note")).isEqualTo(new LakeStatistics.Column(Optional.of(15L), Optional.of("a"), Optional.of("z")));
        // a file without a null count makes the count unknown, not smaller
        assertThat(stats.columns().get("score")).isEqualTo(new LakeStatistics.Column(Optional.empty(), Optional.of(0.5), Optional.of(3.0)));
        // a file with values but no bounds makes the range unknown
        assertThat(stats.columns().get("text")).isEqualTo(new LakeStatistics.Column(Optional.of(1L), Optional.empty(), Optional.empty()));
    }
}
