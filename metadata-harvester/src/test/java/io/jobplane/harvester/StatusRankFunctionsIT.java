package io.jobplane.harvester;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

import org.junit.jupiter.api.Test;

import io.jobplane.events.payload.RunStatus;
import io.jobplane.events.payload.StatusPrecedence;
import io.jobplane.events.payload.TaskStatus;
import io.jobplane.stack.JobplaneTestResource;
import io.jobplane.stack.TestInfrastructure;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The read model's upserts rank statuses in SQL ({@code runs.status_rank}, {@code runs.task_status_rank})
 * and fold a batch in Java ({@link StatusPrecedence}): the two must agree on every status, so a status
 * added or re-ranked on one side only fails here.
 */
@QuarkusTest
@QuarkusTestResource(value = JobplaneTestResource.class, restrictToAnnotatedClass = false)
class StatusRankFunctionsIT {

    /** Words that are no status: they rank below every status on both sides. */
    private static final List<String> UNKNOWN = Arrays.asList("DISPATCHED", "queued", "", null);

    @Test
    void theSqlRunStatusRankIsTheJavaOneForEveryStatusAndAnUnknownWord() throws Exception {
        List<String> words = words(RunStatus.values());
        assertEquals(ranks(words, StatusPrecedence::runRank), sqlRanks("runs.status_rank", words));
    }

    @Test
    void theSqlTaskStatusRankIsTheJavaOneForEveryStatusAndAnUnknownWord() throws Exception {
        List<String> words = words(TaskStatus.values());
        assertEquals(ranks(words, StatusPrecedence::taskRank), sqlRanks("runs.task_status_rank", words));
    }

    private static List<String> words(Enum<?>[] statuses) {
        List<String> words = new ArrayList<>();
        Arrays.stream(statuses).map(Enum::name).forEach(words::add);
        words.addAll(UNKNOWN);
        return words;
    }

    private static Map<String, Integer> ranks(List<String> words, ToIntFunction<String> rank) {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        words.forEach(word -> ranks.put(String.valueOf(word), rank.applyAsInt(word)));
        return ranks;
    }

    private static Map<String, Integer> sqlRanks(String function, List<String> words) throws Exception {
        var pg = TestInfrastructure.shared().postgres();
        Map<String, Integer> ranks = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
                PreparedStatement st = c.prepareStatement("select " + function + "(?)")) {
            for (String word : words) {
                st.setString(1, word);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    ranks.put(String.valueOf(word), rs.getInt(1));
                }
            }
        }
        return ranks;
    }
}
