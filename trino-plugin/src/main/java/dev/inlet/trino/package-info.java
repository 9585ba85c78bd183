/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */

/**
 * The Trino connector (not built yet): the inlet connector for Trino 483 over the union reader.
 */
package dev.inlet.trino;
