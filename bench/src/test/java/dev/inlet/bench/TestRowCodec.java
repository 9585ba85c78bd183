/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestRowCodec
{
    @Test
    void roundTrip()
    {
        for (Object[] row : RowGenerator.generate(500, 3)) {
            byte[] value = RowCodec.encode(row);
            // payload plus the null bitmap (3 bytes) and one 4-byte length per string column (8)
            assertThat(value.length).isEqualTo(BenchSchema.payloadBytes(row) + 35);
            assertThat(RowCodec.decode(value)).containsExactly(row);
        }
    }

    @Test
    void nullsAndNonAscii()
    {
        Object[] row = RowGenerator.generate(1, 5).getFirst().clone();
        row[3] = null;
        row[12] = null;
        row[19] = "grüße, 東京";
        assertThat(RowCodec.decode(RowCodec.encode(row))).containsExactly(row);
    }
}
