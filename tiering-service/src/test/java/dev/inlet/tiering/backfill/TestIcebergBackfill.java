/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.model.LakeFormat;

class TestIcebergBackfill
        extends AbstractTestBackfill
{
    @Override
    LakeFormat format()
    {
        return LakeFormat.ICEBERG;
    }
}
