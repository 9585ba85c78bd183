/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDataType
{
    @Test
    void parsesEveryTypeAndItsSynonyms()
    {
        assertThat(DataType.parse("boolean")).isEqualTo(DataType.booleanType());
        assertThat(DataType.parse("TINYINT")).isEqualTo(DataType.tinyint());
        assertThat(DataType.parse("smallint")).isEqualTo(DataType.smallint());
        assertThat(DataType.parse("INTEGER")).isEqualTo(DataType.integer());
        assertThat(DataType.parse("bigint")).isEqualTo(DataType.bigint());
        assertThat(DataType.parse("REAL")).isEqualTo(DataType.floatType());
        assertThat(DataType.parse("double precision")).isEqualTo(DataType.doubleType());
        assertThat(DataType.parse("decimal(12, 2)")).isEqualTo(DataType.decimal(12, 2));
        assertThat(DataType.parse("DECIMAL(7)")).isEqualTo(DataType.decimal(7, 0));
        assertThat(DataType.parse("varchar(20)")).isEqualTo(DataType.string());
        assertThat(DataType.parse("varbinary")).isEqualTo(DataType.bytes());
        assertThat(DataType.parse("date")).isEqualTo(DataType.date());
        assertThat(DataType.parse("TIMESTAMP(3)")).isEqualTo(DataType.timestamp(3));
        assertThat(DataType.parse("timestamp")).isEqualTo(DataType.timestamp(6));
        assertThat(DataType.parse("TIMESTAMP_LTZ(9)")).isEqualTo(DataType.timestampLtz(9));
        assertThat(DataType.parse("timestamp with local time zone")).isEqualTo(DataType.timestampLtz(6));
    }

    @Test
    void printsWhatItParses()
    {
        for (String text : new String[] {"BOOLEAN", "TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE", "DECIMAL(38,10)", "STRING", "BYTES", "DATE", "TIMESTAMP(0)", "TIMESTAMP_LTZ(3)"}) {
            assertThat(DataType.parse(text).toString()).isEqualTo(text);
        }
    }

    @Test
    void rejectsWrongTypes()
    {
        assertThatThrownBy(() -> DataType.parse("money")).hasMessageStartingWith("Unknown type 'money'; known types: BOOLEAN, TINYINT");
        assertThatThrownBy(() -> DataType.parse("DECIMAL(39,2)")).hasMessage("DECIMAL precision must be between 1 and 38, got 39");
        assertThatThrownBy(() -> DataType.parse("DECIMAL(5,6)")).hasMessage("DECIMAL scale must be between 0 and the precision 5, got 6");
        assertThatThrownBy(() -> DataType.parse("TIMESTAMP(10)")).hasMessage("TIMESTAMP precision must be between 0 and 9, got 10");
        assertThatThrownBy(() -> DataType.parse("INT(4)")).hasMessage("INT takes no precision: 'INT(4)'");
        assertThatThrownBy(() -> DataType.parse("DECIMAL(12,2")).hasMessage("Not a type: 'DECIMAL(12,2'");
    }
}
