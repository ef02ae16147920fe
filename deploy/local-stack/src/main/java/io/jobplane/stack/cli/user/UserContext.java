package io.jobplane.stack.cli.user;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import picocli.CommandLine;

/**
 * What the user commands read from outside: environment variables, the home folder (for the config
 * file), standard input (for {@code --token-stdin}) and how often {@code --follow} asks the API.
 * A test gives its own; {@code ./jobplane} uses the process's.
 */
public record UserContext(Function<String, String> env, Path home, InputStream stdin, Duration pollInterval) {

    /** The process's environment, home and standard input; one poll a second. */
    public static UserContext system() {
        return new UserContext(System::getenv, Path.of(System.getProperty("user.home")), System.in, Duration.ofSeconds(1));
    }

    /** A picocli factory that hands this context to the commands whose constructor takes one. */
    public CommandLine.IFactory factory() {
        UserContext context = this;
        CommandLine.IFactory fallback = CommandLine.defaultFactory();
        return new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                for (Constructor<?> c : cls.getDeclaredConstructors()) {
                    if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == UserContext.class) {
                        c.setAccessible(true);
                        return cls.cast(c.newInstance(context));
                    }
                }
                return fallback.create(cls);
            }
        };
    }
}
