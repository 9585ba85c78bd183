/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.InletConfig;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.testing.FreePorts;
import dev.inlet.catalog.testing.LakeRows;
import dev.inlet.catalog.testing.S3TestEndpoint;
import dev.inlet.logstore.client.ClientConfig;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.union.UnionReader;
import dev.inlet.union.UnionReaderOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backfill from an S3 bucket into tables that are being tiered, with every part a process as
 * the distribution runs it: {@code bin/inlet server}, {@code bin/inlet tiering}, a writer process
 * appending live rows, and {@code bin/inlet backfill}, which is SIGKILLed after its first commit
 * and run again. At the end each lake (read with its own library) and each union read hold every
 * live row the hot store acknowledged and every historical row, once. Bad input through the
 * backfill command fails with the file, line and column named, changes nothing, and the services
 * keep running.
 */
class BackfillIT
{
    private static final int FILES = 6;
    private static final int ROWS_PER_FILE = 2_000;
    private static final long HISTORY = 500_000_000L;
    private static final long LIVE_ROWS = 100_000;
    private static final Pattern COMMITS = Pattern.compile("(\\d+) commits");

    @TempDir
    Path dir;

    @Test
    void aBackfillIntoTablesBeingTieredSurvivesAKillAndBadInput()
            throws Exception
    {
        int port = FreePorts.loopback();
        Path conf = InletProcesses.conf(dir, port, "backfill-it", "backfill.commit-bytes=1", "backfill.progress-interval=100ms");
        InletConfig config = InletConfig.load(conf);

        // the history: CSV and JSON-lines files of rows shaped like the live ones, ids far above them
        String bucket = S3TestEndpoint.get().newBucket("history");
        List<List<Object>> history = new ArrayList<>();
        try (S3Client s3 = S3TestEndpoint.get().settings().newClient()) {
            for (int f = 0; f < FILES; f++) {
                StringBuilder text = new StringBuilder(f % 2 == 0 ? "id,user_id,amount\n" : "");
                for (long id = HISTORY + (long) f * ROWS_PER_FILE; id < HISTORY + (f + 1L) * ROWS_PER_FILE; id++) {
                    Object[] row = AckingWriter.row(id);
                    history.add(Arrays.asList(row));
                    text.append(f % 2 == 0 ? row[0] + "," + row[1] + "," + row[2] + "\n"
                            : "{\"id\": " + row[0] + ", \"user_id\": \"" + row[1] + "\", \"amount\": " + row[2] + "}\n");
                }
                String key = "orders/part-" + f + (f % 2 == 0 ? ".csv" : ".jsonl");
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(text.toString()));
            }
            s3.putObject(b -> b.bucket(bucket).key("bad/part-0.csv"), RequestBody.fromString("id,user_id,amount\n1,u,1.00\n2,u,not-a-number\n"));
        }

        List<TablePath> tables = List.of(TablePath.parse("history.paimon_orders"), TablePath.parse("history.iceberg_orders"));
        Process server = null;
        Process tiering = null;
        try (InletCatalog catalog = new InletCatalog(CatalogSettings.fromConfig(config))) {
            InletProcesses.createAckingTables(catalog, tables);
            server = InletProcesses.server(conf, dir);
            tiering = InletProcesses.tiering(conf, dir);
            for (int t = 0; t < tables.size(); t++) {
                TablePath table = tables.get(t);
                Map<Long, String> acked = new ConcurrentHashMap<>();
                // live rows during the backfills, bounded so the checks at the end stay quick
                Process writer = InletProcesses.ackingWriter(port, table.toString(), t * 1_000_000L, t * 1_000_000L + LIVE_ROWS);
                Thread acks = Thread.ofVirtual().start(() -> InletProcesses.readAcks(writer, acked));

                // SIGKILL the backfill once its first commit is made
                Process killed = backfill(conf, table, "s3://" + bucket + "/orders/");
                List<String> output = new CopyOnWriteArrayList<>();
                Thread reader = Thread.ofVirtual().start(() -> InletProcesses.readLines(killed, output::add));
                Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
                while (committed(output) < 1 && killed.isAlive()) {
                    assertThat(Instant.now()).as("the first backfill commit of %s", table).isBefore(deadline);
                    TimeUnit.MILLISECONDS.sleep(20); // polling the process's output with a deadline
                }
                killed.destroyForcibly();
                assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
                reader.join(Duration.ofSeconds(30));
                int before = committed(output);
                assertThat(before).as("the killed run committed part of the files: %s", output).isBetween(1, FILES - 1);

                // run again: the rest, and only the rest
                Result rerun = run(conf, table, "s3://" + bucket + "/orders/", "--json");
                assertThat(rerun.exit()).as(rerun.output()).isZero();
                JsonNode summary = new ObjectMapper().readTree(rerun.lastLine());
                assertThat(summary.get("files_skipped").size() + summary.get("files_loaded").size()).isEqualTo(FILES);
                assertThat(summary.get("files_skipped").size()).isGreaterThanOrEqualTo(before);
                Result again = run(conf, table, "s3://" + bucket + "/orders/", "--json");
                JsonNode nothing = new ObjectMapper().readTree(again.lastLine());
                assertThat(nothing.get("files_loaded").size()).isZero();
                assertThat(nothing.get("files_skipped").size()).isEqualTo(FILES);

                // bad input: named, nothing committed, services still up
                Result bad = run(conf, table, "s3://" + bucket + "/bad/");
                assertThat(bad.exit()).isEqualTo(1);
                assertThat(bad.output()).contains("s3://" + bucket + "/bad/part-0.csv").contains("line 3, column 'amount'").contains("[BACKFILL_INVALID_INPUT]");
                assertThat(server.isAlive() && tiering.isAlive()).isTrue();

                writer.destroyForcibly();
                writer.waitFor(30, TimeUnit.SECONDS);
                acks.join(Duration.ofSeconds(30));
                assertThat(acked).as("live rows acknowledged during the backfill").isNotEmpty();
                try (InletClient client = InletClient.connect(ClientConfig.of(URI.create("grpc://127.0.0.1:" + port)));
                        UnionReader union = new UnionReader(catalog, client, UnionReaderOptions.Settings.defaults())) {
                    LakeChecks.awaitCaughtUp(catalog, client, table);
                    Map<Long, List<Object>> live = LakeChecks.hotRows(client, table);
                    // (a set difference: AssertJ's containsAll is quadratic)
                    java.util.Set<Long> lost = new java.util.HashSet<>(acked.keySet());
                    lost.removeAll(live.keySet());
                    assertThat(lost).as("acknowledged live rows missing from %s", table).isEmpty();
                    List<List<Object>> expected = new ArrayList<>(live.values());
                    expected.addAll(history);
                    LakeChecks.assertSameRows(LakeRows.read(catalog, table), expected, "lake of " + table);
                    LakeChecks.assertSameRows(LakeChecks.unionRead(union, table), expected, "union read of " + table);
                }
            }
        }
        finally {
            for (Process p : Arrays.asList(server, tiering)) {
                if (p != null) {
                    p.destroy();
                    p.waitFor(30, TimeUnit.SECONDS);
                    p.destroyForcibly();
                }
            }
            ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly);
        }
    }

    /** The largest commit count a progress line of the backfill printed. */
    private static int committed(List<String> output)
    {
        int commits = 0;
        for (String line : output) {
            Matcher m = COMMITS.matcher(line);
            if (m.find()) {
                commits = Math.max(commits, Integer.parseInt(m.group(1)));
            }
        }
        return commits;
    }

    private static Process backfill(Path conf, TablePath table, String from, String... extra)
            throws Exception
    {
        List<String> command = new ArrayList<>(List.of(InletProcesses.DIST.resolve("bin/inlet").toString(), "backfill", "--config", conf.toString(), "--table",
                table.toString(), "--from", from));
        command.addAll(List.of(extra));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private record Result(int exit, String output)
    {
        String lastLine()
        {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    private static Result run(Path conf, TablePath table, String from, String... extra)
            throws Exception
    {
        Process process = backfill(conf, table, from, extra);
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> InletProcesses.readLines(process, output::add));
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("backfill of %s finished", table).isTrue();
        reader.join(Duration.ofSeconds(30));
        return new Result(process.exitValue(), String.join("\n", output));
    }
}
