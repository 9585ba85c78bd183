/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.lake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * What one lake snapshot written by tiering holds, read back from its properties: the round that
 * wrote it and, per bucket, the first hot offset not in the lake. The lake is the truth: the
 * catalog's record of tiered offsets follows it (see the tiering service's {@code TieringRound}).
 * Readers (the union reader) learn from it which hot offsets a lake snapshot already holds.
 *
 * @param snapshotId the lake snapshot
 * @param round the tiering round that committed it (rounds of a table only grow)
 * @param epoch the tiering lease epoch it was committed under ({@link dev.inlet.catalog.model.TieringLease})
 * @param offsets per bucket, the first offset not in the lake
 * @param backfilled the source files a backfill committed in this snapshot (empty for a tiering round)
 */
public record LakeCheckpoint(long snapshotId, long round, long epoch, Map<BucketRef, Long> offsets, List<BackfilledFile> backfilled)
{
    /** Snapshot property: the JSON list of {@code {"partition", "bucket", "offset"}}. */
    public static final String OFFSETS_PROPERTY = "inlet.offsets";
    /** Snapshot property: the round number. */
    public static final String ROUND_PROPERTY = "inlet.round";
    /** Snapshot property: the lease epoch of the process that committed it. */
    public static final String EPOCH_PROPERTY = "inlet.epoch";
    /** Snapshot property: the Inlet table id, so that a lake table is never mistaken for another's. */
    public static final String TABLE_ID_PROPERTY = "inlet.table-id";
    /**
     * Snapshot property of a backfill's commit: the JSON list of {@code {"location", "size",
     * "rows"}} of the source files it loaded. A backfill commit is a round that moves no offset.
     */
    public static final String BACKFILL_FILES_PROPERTY = "inlet.backfill.files";

    private static final ObjectMapper JSON = new ObjectMapper();

    public LakeCheckpoint
    {
        offsets = Map.copyOf(requireNonNull(offsets, "offsets is null"));
        backfilled = List.copyOf(requireNonNull(backfilled, "backfilled is null"));
    }

    public LakeCheckpoint(long snapshotId, long round, long epoch, Map<BucketRef, Long> offsets)
    {
        this(snapshotId, round, epoch, offsets, List.of());
    }

    private record Entry(String partition, int bucket, long offset) {}

    /**
     * Whether this snapshot was committed by a process that had already lost its lease when
     * {@code previous} (the tiering snapshot before it) was committed under a newer epoch: such a
     * zombie snapshot may repeat rows of {@code previous}; writers roll it back, readers skip it.
     */
    public boolean committedAfterLosingLease(LakeCheckpoint previous)
    {
        return previous.epoch() > epoch;
    }

    /** The properties a snapshot committing {@code offsets} in {@code round} under {@code epoch} carries. */
    public static Map<String, String> properties(long tableId, long round, long epoch, Map<BucketRef, Long> offsets)
    {
        List<Entry> entries = new ArrayList<>();
        // sorted, so that the same offsets always give the same text
        sorted(offsets).forEach((key, offset) -> entries.add(new Entry(key.partition(), key.bucket(), offset)));
        try {
            return Map.of(OFFSETS_PROPERTY, JSON.writeValueAsString(entries), ROUND_PROPERTY, Long.toString(round), EPOCH_PROPERTY, Long.toString(epoch),
                    TABLE_ID_PROPERTY, Long.toString(tableId));
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The properties of a backfill's commit: a round under {@code epoch} that keeps {@code offsets} and records {@code files}. */
    public static Map<String, String> backfillProperties(long tableId, long round, long epoch, Map<BucketRef, Long> offsets, List<BackfilledFile> files)
    {
        Map<String, String> properties = new HashMap<>(properties(tableId, round, epoch, offsets));
        try {
            properties.put(BACKFILL_FILES_PROPERTY, JSON.writeValueAsString(files));
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return Map.copyOf(properties);
    }

    /**
     * Reads a snapshot's properties.
     *
     * @throws InletException {@code LAKE_TABLE_MISMATCH} if the snapshot belongs to another Inlet
     *     table or its properties are unreadable
     */
    public static LakeCheckpoint fromProperties(String lakeTable, long tableId, long snapshotId, Map<String, String> properties)
    {
        String owner = properties == null ? null : properties.get(TABLE_ID_PROPERTY);
        if (!Long.toString(tableId).equals(owner)) {
            throw new InletException(InletErrorCode.LAKE_TABLE_MISMATCH, "Snapshot " + snapshotId + " of lake table " + lakeTable + " was committed by tiering for Inlet table id "
                    + owner + ", not " + tableId + "; the lake table belongs to another Inlet table");
        }
        try {
            List<Entry> entries = JSON.readValue(properties.get(OFFSETS_PROPERTY), new TypeReference<List<Entry>>() {});
            Map<BucketRef, Long> offsets = new HashMap<>();
            for (Entry e : entries) {
                offsets.put(new BucketRef(e.partition(), e.bucket()), e.offset());
            }
            String files = properties.get(BACKFILL_FILES_PROPERTY);
            List<BackfilledFile> backfilled = files == null ? List.of() : JSON.readValue(files, new TypeReference<List<BackfilledFile>>() {});
            return new LakeCheckpoint(snapshotId, Long.parseLong(properties.get(ROUND_PROPERTY)), Long.parseLong(properties.getOrDefault(EPOCH_PROPERTY, "0")), offsets, backfilled);
        }
        catch (JsonProcessingException | RuntimeException e) {
            throw new InletException(InletErrorCode.LAKE_TABLE_MISMATCH, "Snapshot " + snapshotId + " of lake table " + lakeTable + " has unreadable tiering properties "
                    + properties + ": " + e.getMessage(), e);
        }
    }

    private static Map<SortKey, Long> sorted(Map<BucketRef, Long> offsets)
    {
        Map<SortKey, Long> sorted = new TreeMap<>();
        offsets.forEach((ref, offset) -> sorted.put(new SortKey(ref.partition(), ref.bucket()), offset));
        return sorted;
    }

    private record SortKey(String partition, int bucket)
            implements Comparable<SortKey>
    {
        @Override
        public int compareTo(SortKey o)
        {
            int c = partition.compareTo(o.partition);
            return c != 0 ? c : Integer.compare(bucket, o.bucket);
        }
    }
}
