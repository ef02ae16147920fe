package io.jobplane.api.freeze;

import java.time.Instant;

/** A workspace's freeze window as GET and PUT show it; {@code active}: frozen now. */
public record FreezeView(String workspace, Instant from, Instant until, FreezeWindow.Mode mode, String reason, boolean active,
        String setBy, Instant setAt) {

    static FreezeView of(FreezeEntity e, Instant now) {
        return new FreezeView(e.workspace, e.startsAt, e.endsAt, e.mode, e.reason, e.window().activeAt(now), e.setBy, e.setAt);
    }
}
