/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering;

import dev.inlet.catalog.model.LakeFormat;

/** Leases, fences and the rollback of a late commit on a Paimon table. */
class TestPaimonTieringFencing
        extends AbstractTestTieringFencing
{
    @Override
    LakeFormat format()
    {
        return LakeFormat.PAIMON;
    }
}
