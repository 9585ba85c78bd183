/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trinoserver;

/**
 * Starts a Trino 483 server from the libraries in {@code lib/}, configured as Trino's launcher
 * configures it: {@code -Dconfig=etc/config.properties}, {@code -Dnode.*}, plugins under
 * {@code plugin/} and catalogs under {@code etc/catalog/} of the working directory.
 */
public final class TrinoServerMain
{
    private TrinoServerMain() {}

    public static void main(String[] args)
    {
        new io.trino.server.Server().start("483");
    }
}
