/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union.filter;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A conjunction of column predicates: the rows a scan wants. Every part of the read path applies
 * what it can (hot partitions are pruned by it, the lake's scan planning skips files by it, the
 * remaining rows are tested one by one), so the rows out are exactly those it accepts.
 */
public record Filter(List<ColumnPredicate> conjuncts)
{
    private static final Filter ALL = new Filter(List.of());

    public Filter
    {
        conjuncts = List.copyOf(requireNonNull(conjuncts, "conjuncts is null"));
    }

    /** The filter that accepts every row. */
    public static Filter all()
    {
        return ALL;
    }

    public static Filter of(ColumnPredicate... conjuncts)
    {
        return new Filter(List.of(conjuncts));
    }

    public boolean acceptsAll()
    {
        return conjuncts.isEmpty();
    }

    public Filter and(ColumnPredicate predicate)
    {
        List<ColumnPredicate> all = new ArrayList<>(conjuncts);
        all.add(predicate);
        return new Filter(all);
    }

    /** The columns the filter reads, in first-use order. */
    public Set<String> columns()
    {
        Set<String> columns = new LinkedHashSet<>();
        conjuncts.forEach(p -> columns.add(p.column()));
        return columns;
    }

    /** The predicates on {@code column}. */
    public List<ColumnPredicate> on(String column)
    {
        return conjuncts.stream().filter(p -> p.column().equals(column)).toList();
    }

    /** Whether a row, given as its values by column name, is accepted. */
    public boolean test(Map<String, Object> row)
    {
        for (ColumnPredicate p : conjuncts) {
            if (!p.test(row.get(p.column()))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The one value every accepted row has in {@code column}, if the filter fixes it to a finite
     * set: the set (for an {@code IN} or an equality), else empty.
     */
    public Optional<List<Object>> valuesOf(String column)
    {
        List<Object> values = null;
        for (ColumnPredicate p : on(column)) {
            if (p.op() == ColumnPredicate.Op.IN) {
                List<Object> set = p.values();
                values = values == null ? set : values.stream().filter(v -> set.stream().anyMatch(s -> Values.compare(v, s) == 0)).toList();
            }
        }
        if (values == null) {
            return Optional.empty();
        }
        // the other predicates on the column narrow the set further
        List<ColumnPredicate> others = on(column);
        return Optional.of(values.stream().filter(v -> others.stream().allMatch(p -> p.test(v))).toList());
    }

    /**
     * @throws InletException {@code INVALID_SCAN} naming the table and column if a predicate names
     *     a column the table lacks or holds a value not of the column's type
     */
    public void validate(TablePath table, TableDescriptor descriptor)
    {
        for (ColumnPredicate p : conjuncts) {
            Column column = descriptor.column(p.column()).orElseThrow(() -> new InletException(InletErrorCode.INVALID_SCAN, "Filter " + p + " on table " + table
                    + " names column '" + p.column() + "', which the table does not have; its columns are " + descriptor.columnNames()));
            for (Object v : p.values()) {
                if (!Values.fits(column.type(), v)) {
                    throw new InletException(InletErrorCode.INVALID_SCAN, "Filter " + p + " on table " + table + " compares column '" + column.name() + "' of type " + column.type()
                            + " with " + v.getClass().getSimpleName() + " value '" + v + "'; expected a " + column.type().root().javaClass().getSimpleName());
                }
            }
        }
    }

    @Override
    public String toString()
    {
        return conjuncts.isEmpty() ? "TRUE" : String.join(" AND ", conjuncts.stream().map(ColumnPredicate::toString).toList());
    }
}
