/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union;

import dev.inlet.catalog.model.LakeFormat;

class TestPaimonUnionRead
        extends AbstractTestUnionRead
{
    @Override
    LakeFormat format()
    {
        return LakeFormat.PAIMON;
    }

    @Override
    boolean columnarLakeReads()
    {
        return false;
    }
}
