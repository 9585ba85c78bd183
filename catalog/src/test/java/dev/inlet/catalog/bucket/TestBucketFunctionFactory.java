/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.bucket;

import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.stream.Stream;

import static dev.inlet.catalog.model.DataType.bigint;
import static dev.inlet.catalog.model.DataType.decimal;
import static dev.inlet.catalog.model.DataType.integer;
import static dev.inlet.catalog.model.DataType.string;
import static dev.inlet.catalog.model.DataType.timestamp;
import static dev.inlet.catalog.model.DataType.timestampLtz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link BucketFunction#forTable}'s choices and errors, and how bucket functions treat their input. */
class TestBucketFunctionFactory
{
    private static final List<Column> COLUMNS = List.of(
            new Column(1, "region", string(), false),
            new Column(2, "id", bigint(), false),
            new Column(3, "amount", decimal(12, 2), true),
            new Column(4, "note", string(), true));

    @Test
    void paimonTableGetsPaimonsFunction()
    {
        BucketFunction function = BucketFunction.forTable(table(LakeFormat.PAIMON).primaryKey("region", "id").bucketCount(8).build());
        assertThat(function).isInstanceOf(PaimonBucketFunction.class);
        assertThat(function.bucketCount()).isEqualTo(8);
        assertThat(function.bucket(new Object[] {"eu", 42L}))
                .isEqualTo(new PaimonBucketFunction(List.of(COLUMNS.get(0), COLUMNS.get(1)), 8).bucket(new Object[] {"eu", 42L}));
    }

    @Test
    void hotOnlyTableGetsPaimonsFunction()
    {
        assertThat(BucketFunction.forTable(table(LakeFormat.NONE).primaryKey("region", "id").build()))
                .isInstanceOf(PaimonBucketFunction.class);
    }

    @Test
    void icebergTableGetsIcebergsFunction()
    {
        BucketFunction function = BucketFunction.forTable(table(LakeFormat.ICEBERG).primaryKey("id").bucketCount(16).build());
        assertThat(function).isInstanceOf(IcebergBucketFunction.class);
        assertThat(function.bucketCount()).isEqualTo(16);
        assertThat(function.bucket(new Object[] {34L})).isEqualTo(new IcebergBucketFunction(COLUMNS.get(1), 16).bucket(new Object[] {34L}));
    }

    @Test
    void followsTheEffectiveBucketKey()
    {
        // the primary key minus the partition keys, in primary-key order
        BucketFunction function = BucketFunction.forTable(table(LakeFormat.PAIMON)
                .primaryKey("id", "region")
                .partitionKeys("region")
                .bucketCount(128)
                .build());
        PaimonBucketFunction byId = new PaimonBucketFunction(List.of(COLUMNS.get(1)), 128);
        for (long id = 0; id < 100; id++) {
            assertThat(function.bucket(new Object[] {id})).isEqualTo(byId.bucket(new Object[] {id}));
        }

        // a declared bucket key wins, in its own order
        BucketFunction declared = BucketFunction.forTable(table(LakeFormat.PAIMON).bucketKey("note", "region").bucketCount(128).build());
        PaimonBucketFunction noteRegion = new PaimonBucketFunction(List.of(COLUMNS.get(3), COLUMNS.get(0)), 128);
        assertThat(declared.bucket(new Object[] {null, "eu"})).isEqualTo(noteRegion.bucket(new Object[] {null, "eu"}));
        assertThat(declared.bucket(new Object[] {"a note", "eu"})).isEqualTo(noteRegion.bucket(new Object[] {"a note", "eu"}));
    }

    @Test
    void keylessLogTableHasNoBucketFunction()
    {
        for (LakeFormat format : LakeFormat.values()) {
            assertThatThrownBy(() -> BucketFunction.forTable(table(format).build()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Table has no bucket key");
        }
    }

    @Test
    void icebergTakesOneBucketKeyColumn()
    {
        assertThatThrownBy(() -> BucketFunction.forTable(table(LakeFormat.ICEBERG).primaryKey("region", "id").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Iceberg's bucket transform takes one column, but the bucket key [region, id] has 2");
    }

    @Test
    void unknownBucketKeyColumn()
    {
        assertThatThrownBy(() -> BucketFunction.forTable(table(LakeFormat.PAIMON).bucketKey("nope").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bucket-key column 'nope' is not a column of the table");
    }

    @Test
    void rejectsBadBucketCounts()
    {
        assertThatThrownBy(() -> new PaimonBucketFunction(List.of(COLUMNS.get(1)), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bucketCount must be positive");
        assertThatThrownBy(() -> new IcebergBucketFunction(COLUMNS.get(1), -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bucketCount must be positive");
        assertThatThrownBy(() -> new PaimonBucketFunction(List.of(), 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one bucket-key column");
    }

    @Test
    void rejectsValuesThatDoNotFitTheKey()
    {
        for (BucketFunction function : functions(COLUMNS.get(1))) {
            assertThatThrownBy(() -> function.bucket(new Object[] {42}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bucket-key column 'id' of type BIGINT takes Long values, got java.lang.Integer");
            assertThatThrownBy(() -> function.bucket(new Object[] {null}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bucket-key column 'id' is NOT NULL, got null");
            assertThatThrownBy(() -> function.bucket(new Object[] {1L, 2L}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("expected 1 bucket-key values for columns [id], got 2");
        }
    }

    @Test
    void decimalsAreBroughtToTheColumnScale()
    {
        for (BucketFunction function : functions(COLUMNS.get(2))) {
            int bucket = function.bucket(new Object[] {new BigDecimal("12.50")});
            assertThat(function.bucket(new Object[] {new BigDecimal("12.5")})).isEqualTo(bucket);
            // HALF_UP, as Paimon's Decimal.fromBigDecimal
            assertThat(function.bucket(new Object[] {new BigDecimal("12.495")})).isEqualTo(bucket);
            assertThatThrownBy(() -> function.bucket(new Object[] {new BigDecimal("12345678901.5")}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bucket-key column 'amount' of type DECIMAL(12,2) cannot hold 12345678901.5");
        }
    }

    @Test
    void timestampsAreTruncatedToTheColumnPrecision()
    {
        Column millis = new Column(1, "t", timestamp(3), false);
        Column micros = new Column(1, "t", timestampLtz(6), false);
        for (BucketFunction function : functions(millis)) {
            assertThat(function.bucket(new Object[] {LocalDateTime.parse("1969-12-31T23:59:59.123999999")}))
                    .isEqualTo(function.bucket(new Object[] {LocalDateTime.parse("1969-12-31T23:59:59.123")}));
        }
        for (BucketFunction function : functions(micros)) {
            assertThat(function.bucket(new Object[] {Instant.parse("2026-05-26T10:00:00.123456789Z")}))
                    .isEqualTo(function.bucket(new Object[] {Instant.parse("2026-05-26T10:00:00.123456Z")}));
        }
    }

    @Test
    void everyBucketIsInRange()
    {
        Column date = new Column(1, "d", DataType.date(), false);
        for (int buckets : new int[] {1, 2, 7, 1024}) {
            BucketFunction paimon = new PaimonBucketFunction(List.of(date), buckets);
            BucketFunction iceberg = new IcebergBucketFunction(date, buckets);
            for (int day = -5000; day < 5000; day++) {
                Object[] key = {LocalDate.ofEpochDay(day)};
                assertThat(paimon.bucket(key)).isBetween(0, buckets - 1);
                assertThat(iceberg.bucket(key)).isBetween(0, buckets - 1);
            }
        }
    }

    @Test
    void mainCodeUsesNoLakeLibrary()
            throws IOException
    {
        // the hot-store client and the Trino plugin run these classes without Paimon or Iceberg
        Path sources = Path.of(System.getProperty("inlet.project.root", ".."), "catalog/src/main/java/dev/inlet/catalog/bucket");
        if (!Files.isDirectory(sources)) {
            sources = Path.of("src/main/java/dev/inlet/catalog/bucket");
        }
        try (Stream<Path> files = Files.list(sources)) {
            List<Path> javaFiles = files.filter(f -> f.toString().endsWith(".java")).toList();
            assertThat(javaFiles).hasSizeGreaterThanOrEqualTo(5);
            for (Path file : javaFiles) {
                assertThat(Files.readString(file)).as(file.getFileName().toString()).doesNotContain("org.apache.");
            }
        }
    }

    private static List<BucketFunction> functions(Column column)
    {
        return List.of(new PaimonBucketFunction(List.of(column), 128), new IcebergBucketFunction(column, 128));
    }

    private static TableDescriptor.Builder table(LakeFormat format)
    {
        return TableDescriptor.builder().columns(COLUMNS).lakeFormat(format);
    }
}
