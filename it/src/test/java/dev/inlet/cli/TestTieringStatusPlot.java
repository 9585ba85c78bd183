/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.cli;

import dev.inlet.catalog.testing.S3TestEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code inlet tiering status --watch --plot}: the SVG image of ingest and lake lag per table,
 * checked through the values each line carries (no tiering runs here, so the lag is every row).
 */
class TestTieringStatusPlot
{
    @TempDir
    Path dir;

    @Test
    void drawsIngestAndLagPerTable()
            throws Exception
    {
        try (CliHotStore server = new CliHotStore(dir)) {
            StringBuilder settings = new StringBuilder();
            S3TestEndpoint.get().lakeSettings("plot").forEach((k, v) -> settings.append('\n').append(k).append('=').append(v));
            Files.writeString(server.config(), Files.readString(server.config()) + settings + "\n");
            String config = server.config().toString();
            assertThat(CliRun.of("table", "create", "shop.clicks", "--columns", "id BIGINT NOT NULL, url STRING", "--buckets", "2", "--lake", "iceberg", "--config", config)
                    .exitCode()).isZero();
            assertThat(CliRun.of("table", "create", "shop.users", "--columns", "id BIGINT NOT NULL, name STRING", "--primary-key", "id", "--buckets", "1", "--lake", "paimon",
                    "--config", config).exitCode()).isZero();
            Path csv = dir.resolve("clicks.csv");
            Files.writeString(csv, "id,url\n1,/a\n2,/b\n3,/c\n");
            assertThat(CliRun.of("write", "shop.clicks", "--file", csv.toString(), "--config", config).exitCode()).isZero();

            Path plot = dir.resolve("plots/lag.svg");
            CliRun status = CliRun.of("tiering", "status", "--watch", "--interval", "100ms", "--samples", "3", "--plot", plot.toString(), "--config", config);
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).contains("Plot: " + plot.toAbsolutePath());

            Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(plot.toFile());
            assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
            NodeList lines = svg.getElementsByTagName("polyline");
            List<Map.Entry<String, String>> values = new ArrayList<>();
            for (int i = 0; i < lines.getLength(); i++) {
                Element line = (Element) lines.item(i);
                values.add(Map.entry(line.getAttribute("data-table"), line.getAttribute("data-values")));
            }
            // ingest between the 3 refreshes (nothing written meanwhile), then rows not in the lake at each
            assertThat(values).containsExactly(
                    Map.entry("shop.clicks", "0,0"),
                    Map.entry("shop.users", "0,0"),
                    Map.entry("shop.clicks", "3,3,3"),
                    Map.entry("shop.users", "0,0,0"));
        }
    }
}
