/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import com.google.inject.Key;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.LakeFormat;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.logstore.client.AppendWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.tiering.RoundHooks;
import dev.inlet.tiering.TieringTestCluster;
import io.trino.metadata.HandleResolver;
import io.trino.server.PluginClassLoader;
import io.trino.server.PluginManager;
import io.trino.server.testing.TestingTrinoServer;
import io.trino.spi.Plugin;
import io.trino.testing.DistributedQueryRunner;
import io.trino.testing.MaterializedResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.trino.testing.TestingSession.testSessionBuilder;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loads the plugin the way a Trino server does: its classes and its runtime libraries in Trino's
 * own {@link PluginClassLoader}, which shows the plugin only the SPI. In-process tests with the
 * plugin on the test class path hide class-visibility bugs (a library the SPI does not export, a
 * service file read through the wrong loader); this one does not.
 */
class TestInletPluginClassLoader
{
    @TempDir
    Path dir;

    @Test
    void queriesThroughThePluginClassLoader()
            throws Exception
    {
        List<URL> urls = new ArrayList<>();
        urls.add(Path.of("target/classes").toUri().toURL());
        for (String jar : Files.readString(Path.of("target/plugin-classpath.txt")).trim().split(java.io.File.pathSeparator)) {
            urls.add(Path.of(jar).toUri().toURL());
        }
        PluginClassLoader loader = PluginManager.createClassLoader("inlet", urls);
        Plugin plugin = (Plugin) loader.loadClass(InletPlugin.class.getName()).getConstructor().newInstance();
        assertThat(plugin.getClass().getClassLoader()).as("the plugin comes from the plugin class loader, not the test's").isSameAs(loader);

        try (TieringTestCluster cluster = new TieringTestCluster(dir);
                DistributedQueryRunner runner = DistributedQueryRunner.builder(testSessionBuilder().setCatalog("inlet").setSchema("shop").build()).setWorkerCount(1).build()) {
            cluster.createTable("shop.events", TableDescriptor.builder()
                    .column("id", DataType.bigint(), false)
                    .column("name", DataType.string())
                    .bucketKey("id")
                    .bucketCount(2)
                    .lakeFormat(LakeFormat.ICEBERG)
                    .build());
            try (AppendWriter writer = cluster.client().newWriter("shop.events", WriterOptions.defaults())) {
                for (long id = 0; id < 10; id++) {
                    writer.append(new Object[] {id, "e" + id});
                }
            }
            cluster.round(RoundHooks.NONE).run(TablePath.parse("shop.events")).orElseThrow();
            try (AppendWriter writer = cluster.client().newWriter("shop.events", WriterOptions.defaults())) {
                writer.append(new Object[] {10L, "e10"});
            }

            // what PluginManager.loadPlugin does: handles of the plugin's classes travel between nodes
            for (TestingTrinoServer server : runner.getServers()) {
                server.getInstance(Key.get(HandleResolver.class)).registerClassLoader(loader);
            }
            runner.installPlugin(plugin);
            runner.createCatalog("inlet", "inlet", cluster.clientSettings());

            MaterializedResult result = runner.execute("SELECT count(*), sum(id), max(name) FROM events WHERE id >= 5");
            assertThat(result.getMaterializedRows()).singleElement().satisfies(row -> assertThat(row.getFields()).containsExactly(6L, 45L, "e9"));
        }
    }
}
