package io.jobplane.worker.catalog.hive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class LocationRewriterTest {

    @Test
    void theLongestMatchingKeyWinsWhateverTheOrderOfTheRules() {
        List<LocationRule> rules = List.of(
                new LocationRule("hdfs://nn:8020/warehouse", "s3://lake/warehouse"),
                new LocationRule("hdfs://nn:8020/warehouse/sales.db", "s3://sales-bucket/db"),
                new LocationRule("hdfs://nn:8020", "s3://everything"));
        LocationRewriter rewriter = LocationRewriter.of(rules);
        assertEquals("s3://sales-bucket/db/orders/dt=2024-01-01", rewriter.rewrite("hdfs://nn:8020/warehouse/sales.db/orders/dt=2024-01-01"));
        assertEquals("s3://lake/warehouse/hr.db/people", rewriter.rewrite("hdfs://nn:8020/warehouse/hr.db/people"));
        assertEquals("s3://everything/tmp/x", rewriter.rewrite("hdfs://nn:8020/tmp/x"));

        List<LocationRule> backwards = new ArrayList<>(rules);
        Collections.reverse(backwards);
        LocationRewriter reversed = LocationRewriter.of(backwards);
        assertEquals("s3://sales-bucket/db/orders", reversed.rewrite("hdfs://nn:8020/warehouse/sales.db/orders"));
    }

    @Test
    void keysMatchOnPathSegmentBoundariesOnly() {
        LocationRewriter rewriter = LocationRewriter.of(List.of(new LocationRule("hdfs://nn/warehouse", "s3://lake")));
        assertEquals("s3://lake", rewriter.rewrite("hdfs://nn/warehouse"));
        assertEquals("s3://lake/", rewriter.rewrite("hdfs://nn/warehouse/"));
        assertEquals("s3://lake/t1/part=1", rewriter.rewrite("hdfs://nn/warehouse/t1/part=1"));
        assertEquals("hdfs://nn/warehouse2/t1", rewriter.rewrite("hdfs://nn/warehouse2/t1"), "a longer segment is another path");
        assertEquals("hdfs://nn/ware", rewriter.rewrite("hdfs://nn/ware"));
    }

    @Test
    void trailingSlashesOfKeysAndValuesDoNotChangeTheResult() {
        for (String key : List.of("hdfs://nn/wh", "hdfs://nn/wh/", "hdfs://nn/wh//")) {
            for (String value : List.of("s3://b/wh", "s3://b/wh/")) {
                LocationRewriter rewriter = LocationRewriter.of(List.of(new LocationRule(key, value)));
                assertEquals("s3://b/wh/t1", rewriter.rewrite("hdfs://nn/wh/t1"), key + " -> " + value);
                assertEquals("s3://b/wh", rewriter.rewrite("hdfs://nn/wh"), key + " -> " + value);
            }
        }
    }

    @Test
    void aSchemeOrRootKeyRewritesEveryLocationUnderIt() {
        LocationRewriter scheme = LocationRewriter.of(List.of(new LocationRule("hdfs://", "s3a://")));
        assertEquals("s3a://nn/wh/t1", scheme.rewrite("hdfs://nn/wh/t1"));
        assertEquals("file:/tmp/x", scheme.rewrite("file:/tmp/x"));

        LocationRewriter root = LocationRewriter.of(List.of(new LocationRule("/", "/mnt/old")));
        assertEquals("/mnt/old/data/t1", root.rewrite("/data/t1"));
        assertEquals("relative/path", root.rewrite("relative/path"));
    }

    @Test
    void unmatchedAndNullLocationsStay() {
        LocationRewriter rewriter = LocationRewriter.of(List.of(new LocationRule("s3://a", "s3://b")));
        assertEquals("gs://other/x", rewriter.rewrite("gs://other/x"));
        assertEquals("S3://A/x", rewriter.rewrite("S3://A/x"), "matching is case-sensitive");
        assertNull(rewriter.rewrite(null));
        assertEquals("s3://a/x", LocationRewriter.none().rewrite("s3://a/x"));
        assertEquals("s3://a/x", LocationRewriter.of(List.of()).rewrite("s3://a/x"));
    }

    @Test
    void moreThanTwentyRulesAreRefused() {
        List<LocationRule> twenty = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            twenty.add(new LocationRule("hdfs://nn/p" + i, "s3://b/p" + i));
        }
        assertEquals(20, LocationRewriter.of(twenty).size());
        List<LocationRule> tooMany = new ArrayList<>(twenty);
        tooMany.add(new LocationRule("hdfs://nn/p20", "s3://b/p20"));
        HiveMigrationException e = assertThrows(HiveMigrationException.class, () -> LocationRewriter.of(tooMany));
        assertEquals(HiveMigrationException.Code.INVALID_OPTIONS, e.code());
        assertTrue(e.getMessage().contains("at most 20"), e.getMessage());
    }

    @Test
    void invalidRulesAreRefused() {
        List<List<LocationRule>> invalid = List.of(
                List.of(new LocationRule("", "s3://b")),
                List.of(new LocationRule("s3://a", " ")),
                List.of(new LocationRule(null, "s3://b")),
                List.of(new LocationRule(" s3://a", "s3://b")),
                List.of(new LocationRule("s3://a/" + "x".repeat(1024), "s3://b")),
                List.of(new LocationRule("s3://a", "s3://b"), new LocationRule("s3://a/", "s3://c")));
        for (List<LocationRule> rules : invalid) {
            HiveMigrationException e = assertThrows(HiveMigrationException.class, () -> LocationRewriter.of(rules), rules::toString);
            assertEquals(HiveMigrationException.Code.INVALID_OPTIONS, e.code());
        }
    }
}
