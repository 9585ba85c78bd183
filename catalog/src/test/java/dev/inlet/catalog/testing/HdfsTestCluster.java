/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A real HDFS inside the test JVM: Hadoop's {@code MiniDFSCluster} (one name node, one data node,
 * all on 127.0.0.1) with its files under a folder of the test.
 *
 * <p>The HDFS servers need Jetty 9, Jersey and Netty, which clash with what the test class path
 * already holds (S3Proxy runs on Jetty 12), so the cluster runs from Hadoop's three shaded client
 * jars ({@code hadoop-client-minicluster}, {@code -runtime}, {@code -api}) in a class loader of its
 * own; Maven copies them to the folder named by {@code inlet.test.hdfs-cluster.lib} (see
 * {@code catalog/pom.xml}). The code under test talks to it over Hadoop RPC like to any name
 * node, with its own Hadoop client classes. Only logging ({@code org.slf4j},
 * {@code org.apache.commons.logging}) is shared, so the servers log into the test's output.
 */
public final class HdfsTestCluster
        implements AutoCloseable
{
    public static final String LIB_PROPERTY = "inlet.test.hdfs-cluster.lib";

    private static final Logger LOG = LoggerFactory.getLogger(HdfsTestCluster.class);

    private static final List<String> SHARED_PACKAGES = List.of("org.slf4j.", "org.apache.commons.logging.");

    private final URLClassLoader loader;
    private final Object cluster;
    private final URI uri;

    private HdfsTestCluster(URLClassLoader loader, Object cluster, URI uri)
    {
        this.loader = loader;
        this.cluster = cluster;
        this.uri = uri;
    }

    /** Formats and starts a cluster with its name and data node storage under {@code baseDir}. */
    public static HdfsTestCluster start(Path baseDir)
            throws Exception
    {
        requireNonNull(baseDir, "baseDir is null");
        long start = System.nanoTime();
        URLClassLoader loader = new IsolatingClassLoader(jars(), HdfsTestCluster.class.getClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Hadoop loads classes and resources through the context class loader; the server threads
        // started below inherit it
        thread.setContextClassLoader(loader);
        try {
            Class<?> configurationClass = loader.loadClass("org.apache.hadoop.conf.Configuration");
            Object conf = loader.loadClass("org.apache.hadoop.hdfs.HdfsConfiguration").getConstructor().newInstance();
            configurationClass.getMethod("set", String.class, String.class).invoke(conf, "hdfs.minidfs.basedir", baseDir.toAbsolutePath().toString());
            Class<?> builderClass = loader.loadClass("org.apache.hadoop.hdfs.MiniDFSCluster$Builder");
            Object builder = builderClass.getConstructor(configurationClass).newInstance(conf);
            builderClass.getMethod("numDataNodes", int.class).invoke(builder, 1);
            // one storage folder instead of two: less to format and scan
            builderClass.getMethod("storagesPerDatanode", int.class).invoke(builder, 1);
            Object cluster = builderClass.getMethod("build").invoke(builder);
            cluster.getClass().getMethod("waitActive").invoke(cluster);
            URI uri = (URI) cluster.getClass().getMethod("getURI").invoke(cluster);
            LOG.info("HDFS test cluster at {} started in {} ms, storage under {}", uri, (System.nanoTime() - start) / 1_000_000, baseDir);
            return new HdfsTestCluster(loader, cluster, uri);
        }
        catch (InvocationTargetException e) {
            loader.close();
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        catch (Exception | Error e) {
            loader.close();
            throw e;
        }
        finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static URL[] jars()
    {
        Path lib = Path.of(System.getProperty(LIB_PROPERTY, "target/hdfs-test-cluster"));
        try (Stream<Path> files = Files.list(lib)) {
            URL[] jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().map(HdfsTestCluster::url).toArray(URL[]::new);
            if (jars.length == 0) {
                throw new IllegalStateException("No jars in " + lib);
            }
            return jars;
        }
        catch (IOException | IllegalStateException e) {
            throw new IllegalStateException("The HDFS test cluster's jars are missing from " + lib.toAbsolutePath() + " (" + LIB_PROPERTY
                    + "); Maven copies them in the generate-test-resources phase of the catalog module", e);
        }
    }

    private static URL url(Path jar)
    {
        try {
            return jar.toUri().toURL();
        }
        catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The name node, {@code hdfs://127.0.0.1:port}. */
    public URI uri()
    {
        return uri;
    }

    @Override
    public void close()
            throws Exception
    {
        try {
            cluster.getClass().getMethod("shutdown").invoke(cluster);
        }
        finally {
            loader.close();
        }
    }

    /** Loads everything from its own jars and the JDK, except the shared logging packages. */
    private static final class IsolatingClassLoader
            extends URLClassLoader
    {
        static {
            registerAsParallelCapable();
        }

        private final ClassLoader shared;

        IsolatingClassLoader(URL[] jars, ClassLoader shared)
        {
            super("hdfs-test-cluster", jars, ClassLoader.getPlatformClassLoader());
            this.shared = shared;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve)
                throws ClassNotFoundException
        {
            for (String prefix : SHARED_PACKAGES) {
                if (name.startsWith(prefix)) {
                    return shared.loadClass(name);
                }
            }
            return super.loadClass(name, resolve);
        }
    }
}
