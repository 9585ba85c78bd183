/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */

/**
 * The union reader (not built yet): engine-neutral planning and reading of one consistent table from the lake snapshot plus the hot tail, with projection, filter and limit pushdown.
 */
package dev.inlet.union;
