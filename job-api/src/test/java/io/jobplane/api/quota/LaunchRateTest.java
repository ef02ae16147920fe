package io.jobplane.api.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LaunchRateTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final LaunchRate rate = new LaunchRate(now::get);

    private void advanceSeconds(double seconds) {
        now.addAndGet((long) (seconds * 1e9));
    }

    @Test
    void aBurstGoesThenLaunchesFollowTheSteadyRate() {
        for (int i = 0; i < 3; i++) {
            assertEquals(0, rate.acquire("ws", 60, 3), "launch " + i + " of the burst");
        }
        assertEquals(1, rate.acquire("ws", 60, 3), "one a second: the next token is a second away");
        advanceSeconds(0.5);
        assertEquals(1, rate.acquire("ws", 60, 3), "half a token is not a launch; whole seconds, at least one");
        advanceSeconds(0.5);
        assertEquals(0, rate.acquire("ws", 60, 3));
        assertEquals(1, rate.acquire("ws", 60, 3));
    }

    @Test
    void retryAfterSaysWhenTheNextTokenIsDue() {
        assertEquals(0, rate.acquire("ws", 6, 1));
        assertEquals(10, rate.acquire("ws", 6, 1), "six a minute: one every ten seconds");
        advanceSeconds(7.2);
        assertEquals(3, rate.acquire("ws", 6, 1), "2.8 s rounds up to 3");
        advanceSeconds(3);
        assertEquals(0, rate.acquire("ws", 6, 1));
    }

    @Test
    void anIdleBucketRefillsOnlyUpToItsBurst() {
        assertEquals(0, rate.acquire("ws", 60, 2));
        advanceSeconds(3600);
        assertEquals(0, rate.acquire("ws", 60, 2));
        assertEquals(0, rate.acquire("ws", 60, 2));
        assertEquals(1, rate.acquire("ws", 60, 2));
    }

    @Test
    void eachWorkspaceHasItsOwnBucket() {
        assertEquals(0, rate.acquire("a", 1, 1));
        assertEquals(60, rate.acquire("a", 1, 1));
        assertEquals(0, rate.acquire("b", 1, 1), "b is not slowed by a");
    }
}
