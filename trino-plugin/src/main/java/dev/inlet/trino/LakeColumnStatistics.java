/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.union.filter.Filter;
import dev.inlet.union.lake.LakePoint;
import dev.inlet.union.lake.LakeSource;
import dev.inlet.union.lake.LakeSources;
import dev.inlet.union.lake.LakeStatistics;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.statistics.ColumnStatistics;
import io.trino.spi.statistics.DoubleRange;
import io.trino.spi.statistics.Estimate;
import io.trino.spi.statistics.TableStatistics;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Column statistics of an Inlet table for Trino's optimizer, from its lake snapshot's file
 * metadata (no data file is read): the fraction of nulls and the range of values of the lake's
 * rows, taken as estimates for the whole table (the hot tail, not yet in the lake, is usually a
 * small part of it). Ranges are given for numbers, dates and timestamps of precision up to 6, in
 * Trino's representation of each type; text and binary columns have their null fraction only.
 */
final class LakeColumnStatistics
{
    private LakeColumnStatistics() {}

    /** Adds the lake's column statistics for the rows {@code filter} may match to {@code table}. */
    static void add(TableStatistics.Builder table, InletCatalog catalog, TableInfo info, Filter filter, Map<String, ColumnHandle> handles)
    {
        Optional<LakeSource> lake = LakeSources.of(catalog, info);
        Optional<LakePoint> point = lake.flatMap(source -> source.readablePoint(info));
        if (point.isEmpty()) {
            return;
        }
        LakeStatistics stats;
        try {
            stats = lake.get().statistics(info, point.get().snapshotId(), filter);
        }
        catch (RuntimeException e) {
            // statistics only guide the optimizer: without them the query still runs (on the row count)
            return;
        }
        if (stats.rows() == 0) {
            return;
        }
        for (Column column : info.descriptor().columns()) {
            LakeStatistics.Column c = stats.columns().get(column.name());
            ColumnHandle handle = handles.get(column.name());
            if (c == null || handle == null) {
                continue;
            }
            ColumnStatistics.Builder builder = ColumnStatistics.builder();
            c.nulls().ifPresent(nulls -> builder.setNullsFraction(Estimate.of(Math.min(1.0, (double) nulls / stats.rows()))));
            OptionalDouble low = c.min().map(v -> statsValue(column, v)).orElse(OptionalDouble.empty());
            OptionalDouble high = c.max().map(v -> statsValue(column, v)).orElse(OptionalDouble.empty());
            if (low.isPresent() && high.isPresent()) {
                builder.setRange(new DoubleRange(low.getAsDouble(), high.getAsDouble()));
            }
            table.setColumnStatistics(handle, builder.build());
        }
    }

    /** A value as Trino represents it in statistics: numbers as themselves, dates as days, short timestamps as microseconds. */
    static OptionalDouble statsValue(Column column, Object value)
    {
        return switch (value) {
            case Byte b -> OptionalDouble.of(b);
            case Short s -> OptionalDouble.of(s);
            case Integer i -> OptionalDouble.of(i);
            case Long l -> OptionalDouble.of(l);
            case Float f -> OptionalDouble.of(f);
            case Double d -> OptionalDouble.of(d);
            case BigDecimal d -> OptionalDouble.of(d.doubleValue());
            case LocalDate d -> OptionalDouble.of(d.toEpochDay());
            case LocalDateTime t when column.type().precision() <= 6 -> {
                var instant = t.toInstant(ZoneOffset.UTC);
                yield OptionalDouble.of(instant.getEpochSecond() * 1_000_000.0 + instant.getNano() / 1_000);
            }
            default -> OptionalDouble.empty();
        };
    }
}
