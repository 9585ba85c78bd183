/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import io.trino.spi.connector.ConnectorSession;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Values computed once per query: Trino's planner asks for a table's descriptor and statistics
 * many times while it plans one query, and each answer costs a catalog read (and, for
 * statistics, planning a union read against the lake and the hot store). Keyed by query id, so
 * a new query always sees the catalog as it is; the oldest entries are dropped past a bound.
 */
final class QueryMemo<K, V>
{
    private static final int MAX_ENTRIES = 512;

    private record Key(String queryId, Object key) {}

    private final Map<Key, V> values = new LinkedHashMap<>(64, 0.75f, true)
    {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, V> eldest)
        {
            return size() > MAX_ENTRIES;
        }
    };

    V get(ConnectorSession session, K key, Supplier<V> compute)
    {
        Key memoKey = new Key(session.getQueryId(), key);
        synchronized (values) {
            V value = values.get(memoKey);
            if (value != null) {
                return value;
            }
        }
        // computed outside the lock: a slow catalog or lake read does not hold up other queries
        V value = compute.get();
        synchronized (values) {
            values.put(memoKey, value);
        }
        return value;
    }
}
