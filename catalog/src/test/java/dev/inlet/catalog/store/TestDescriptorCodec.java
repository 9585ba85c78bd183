/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.store;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.AggregateFunction;
import dev.inlet.catalog.model.ChangelogMode;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.MergeEngine;
import dev.inlet.catalog.model.TableDescriptor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDescriptorCodec
{
    @Test
    void roundTripsEveryField()
    {
        TableDescriptor d = TableDescriptor.builder()
                .column(new Column(1, "id", DataType.string(), false, Optional.of("the key")))
                .column(new Column(3, "dt", DataType.date(), false))
                .column(new Column(7, "total", DataType.decimal(20, 4), true))
                .column(new Column(8, "ts", DataType.timestampLtz(3), true))
                .column(new Column(9, "uid", DataType.bigint(), true))
                .primaryKey("id", "dt")
                .partitionKeys("dt")
                .bucketCount(16)
                .bucketKey("id")
                .mergeEngine(MergeEngine.aggregation(Map.of("total", AggregateFunction.SUM)))
                .autoIncrementColumn("uid")
                .changelogMode(ChangelogMode.UPSERT)
                .lakeFormat(LakeFormat.ICEBERG)
                .lakeOption("format-version", "3")
                .freshness(Duration.ofSeconds(30))
                .hotRetention(Duration.ofHours(6))
                .comment("wide table")
                .build();
        assertThat(DescriptorCodec.decode(DescriptorCodec.encode(d))).isEqualTo(d);
    }

    @Test
    void readsTheVersionOneForm()
    {
        String stored = """
                {"version":1,"columns":[{"id":1,"name":"order_id","type":"BIGINT","nullable":false,"comment":null}],
                 "primaryKey":["order_id"],"partitionKeys":[],"bucketCount":4,"bucketKey":[],
                 "mergeEngine":{"kind":"versioned","versionColumn":"v","aggregations":{}},
                 "autoIncrementColumn":null,"lakeFormat":"paimon","lakeOptions":{},
                 "freshnessMillis":60000,"hotRetentionMillis":604800000,"comment":null}""";
        TableDescriptor d = DescriptorCodec.decode(stored);
        assertThat(d.columns()).containsExactly(new Column(1, "order_id", DataType.bigint(), false));
        assertThat(d.mergeEngine()).isEqualTo(MergeEngine.versioned("v"));
        assertThat(d.lakeFormat()).isEqualTo(LakeFormat.PAIMON);
        assertThat(d.freshness()).isEqualTo(Duration.ofMinutes(1));
        // written before the changelog mode existed: the full changelog, which was the only one
        assertThat(d.changelogMode()).isEqualTo(ChangelogMode.FULL);
    }

    @Test
    void refusesAFutureVersion()
    {
        assertThatThrownBy(() -> DescriptorCodec.decode("{\"version\":2}"))
                .isInstanceOfSatisfying(InletException.class, e -> assertThat(e.errorCode()).isEqualTo(InletErrorCode.CATALOG_SCHEMA_TOO_NEW))
                .hasMessage("A stored table descriptor has format version 2; this Inlet build reads versions 1 to 1");
    }
}
