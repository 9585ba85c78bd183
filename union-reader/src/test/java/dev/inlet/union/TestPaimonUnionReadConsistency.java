/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.union;

import dev.inlet.catalog.model.LakeFormat;

class TestPaimonUnionReadConsistency
        extends AbstractTestUnionReadConsistency
{
    @Override
    LakeFormat format()
    {
        return LakeFormat.PAIMON;
    }
}
