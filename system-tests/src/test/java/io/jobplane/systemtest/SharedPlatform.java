package io.jobplane.systemtest;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.jobplane.stack.Platform;

/**
 * One platform for every system-test class that needs only the default configuration and leaves the
 * platform as it found it (no restarts, no killed services, no platform-wide counts): started by the
 * first such class, stopped once after the last test of the run (JUnit closes what the root store
 * holds). Each class keeps to its own workspace, databases and canaries, so classes cannot see each
 * other's data. Classes that reconfigure, restart or kill parts of the platform, or assert
 * platform-wide totals, start their own with {@link SystemPlatform#startOnFreePorts}.
 * <p>
 * Use: {@code @ExtendWith(SharedPlatform.class)} on the class, then {@link #platform()} in its
 * {@code @BeforeAll}.
 */
public final class SharedPlatform implements BeforeAllCallback {

    private static volatile Platform started;

    @Override
    public void beforeAll(ExtensionContext context) {
        started = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(SharedPlatform.class, key -> start(), Platform.class);
    }

    /** The shared platform; only inside a class extended with this. */
    public static Platform platform() {
        if (started == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(SharedPlatform.class)");
        }
        return started;
    }

    private static Platform start() {
        try {
            return SystemPlatform.startOnFreePorts("shared");
        } catch (Exception e) {
            throw new IllegalStateException("the shared platform did not start", e);
        }
    }
}
