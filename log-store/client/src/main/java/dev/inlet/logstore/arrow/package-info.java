/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */

/**
 * Arrow tools of the hot store: the mapping between Inlet column types and Arrow
 * ({@link dev.inlet.logstore.arrow.ArrowSchemas}), the encapsulated IPC record batch message that
 * holds one batch's payload ({@link dev.inlet.logstore.arrow.ArrowIpc}), and column pruning on
 * such messages without decoding rows ({@link dev.inlet.logstore.arrow.IpcProjection}).
 */
package dev.inlet.logstore.arrow;
