/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */

/**
 * The hot store's client side: the Arrow Flight protocol (tickets, actions, batch metadata), Arrow
 * IPC tools, and {@code InletClient}. Free of server-side dependencies.
 */
package dev.inlet.logstore;
