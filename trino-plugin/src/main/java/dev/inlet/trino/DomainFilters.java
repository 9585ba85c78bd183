/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.union.filter.ColumnPredicate;
import dev.inlet.union.filter.Filter;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.predicate.Domain;
import io.trino.spi.predicate.Range;
import io.trino.spi.predicate.TupleDomain;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Trino column domains as union-reader filters. A domain the union reader can enforce exactly (a
 * set of values, one range, null or not null) becomes predicates; any other stays with Trino.
 */
final class DomainFilters
{
    private DomainFilters() {}

    /** The part of {@code domains} the union reader enforces: translatable column by column. */
    static TupleDomain<ColumnHandle> enforceable(TableDescriptor table, TupleDomain<ColumnHandle> domains)
    {
        if (domains.isNone() || domains.getDomains().isEmpty()) {
            return domains;
        }
        Map<ColumnHandle, Domain> enforced = new HashMap<>();
        domains.getDomains().get().forEach((handle, domain) -> {
            if (predicates(table, (InletColumnHandle) handle, domain).isPresent()) {
                enforced.put(handle, domain);
            }
        });
        return TupleDomain.withColumnDomains(enforced);
    }

    /** The filter for domains that {@link #enforceable} kept (not NONE: no split reads that). */
    static Filter toFilter(TableDescriptor table, TupleDomain<ColumnHandle> domains)
    {
        Filter filter = Filter.all();
        if (domains.getDomains().isEmpty()) {
            return filter;
        }
        for (Map.Entry<ColumnHandle, Domain> e : domains.getDomains().get().entrySet()) {
            List<ColumnPredicate> predicates = predicates(table, (InletColumnHandle) e.getKey(), e.getValue()).orElseThrow();
            for (ColumnPredicate p : predicates) {
                filter = filter.and(p);
            }
        }
        return filter;
    }

    private static Optional<List<ColumnPredicate>> predicates(TableDescriptor table, InletColumnHandle handle, Domain domain)
    {
        Optional<Column> found = table.column(handle.getName());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Column column = found.get();
        String name = column.name();
        if (domain.isOnlyNull()) {
            return Optional.of(List.of(ColumnPredicate.isNull(name)));
        }
        if (domain.isNullAllowed()) {
            // a set or range that also takes nulls is an OR: left to Trino
            return Optional.empty();
        }
        if (domain.getValues().isAll()) {
            return Optional.of(List.of(ColumnPredicate.notNull(name)));
        }
        if (domain.getValues().isDiscreteSet()) {
            List<Object> values = new ArrayList<>();
            for (Object v : domain.getValues().getDiscreteSet()) {
                Optional<Object> java = TypeMapping.toJava(column.type(), v);
                if (java.isEmpty()) {
                    return Optional.empty();
                }
                values.add(java.get());
            }
            return Optional.of(List.of(new ColumnPredicate(name, ColumnPredicate.Op.IN, values)));
        }
        List<Range> ranges = domain.getValues().getRanges().getOrderedRanges();
        if (ranges.size() != 1) {
            return Optional.empty();
        }
        Range range = ranges.getFirst();
        List<ColumnPredicate> predicates = new ArrayList<>();
        if (!range.isLowUnbounded()) {
            Optional<Object> low = TypeMapping.toJava(column.type(), range.getLowBoundedValue());
            if (low.isEmpty()) {
                return Optional.empty();
            }
            predicates.add(ColumnPredicate.compare(name, range.isLowInclusive() ? ColumnPredicate.Op.GE : ColumnPredicate.Op.GT, low.get()));
        }
        if (!range.isHighUnbounded()) {
            Optional<Object> high = TypeMapping.toJava(column.type(), range.getHighBoundedValue());
            if (high.isEmpty()) {
                return Optional.empty();
            }
            predicates.add(ColumnPredicate.compare(name, range.isHighInclusive() ? ColumnPredicate.Op.LE : ColumnPredicate.Op.LT, high.get()));
        }
        return Optional.of(predicates);
    }
}
