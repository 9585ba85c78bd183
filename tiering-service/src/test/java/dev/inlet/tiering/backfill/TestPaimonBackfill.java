/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.backfill;

import dev.inlet.catalog.model.LakeFormat;

class TestPaimonBackfill
        extends AbstractTestBackfill
{
    @Override
    LakeFormat format()
    {
        return LakeFormat.PAIMON;
    }
}
